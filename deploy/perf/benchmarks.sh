#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks (tests/CommissionPlanner.Benchmarks, docs/performance.md) in Release.
#   deploy/perf/benchmarks.sh [feeds|itinerary|import|all] [--quick] [BenchmarkDotNet options]   (default: all --quick)
# The import benchmark needs PostgreSQL: this starts a private cluster "bench" (fresh data, fsync on) and stops it on
# exit, even on failure. Reports: .data/benchmarks/ (git-ignored).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pg="$repo_root/deploy/local/postgres.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
(( $# > 0 )) || set -- all --quick

cleanup() { "$pg" stop bench >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dotnet build "$repo_root/tests/CommissionPlanner.Benchmarks" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null \
  || { echo "benchmarks.sh: the benchmarks did not build." >&2; exit 1; }
if [[ "$1" == import || "$1" == all ]]; then
  "$pg" wipe bench >/dev/null 2>&1 || true
  port=$("$pg" start bench "${PERF_BENCH_PG_PORT:-55832}")
  export PLANNER_BENCH_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi
# BenchmarkDotNet writes its reports under the working directory when given command-line options: keep them in .data/.
mkdir -p "$repo_root/.data/benchmarks"
cd "$repo_root/.data/benchmarks"
dotnet "$repo_root/tests/CommissionPlanner.Benchmarks/bin/Release/net10.0/CommissionPlanner.Benchmarks.dll" "$@"
