# Shared by load-test.sh and memory-test.sh (sourced, not run): a private PostgreSQL cluster, the Release builds, the
# generated programme and the planner process. The sourcing script defines fail and log (with its own name) first, and
# sets repo_root and state; these functions set pg_port, sql, planner_pid and out for it.

pg="$repo_root/deploy/local/postgres.sh"
out="$repo_root/src/CommissionPlanner.Web/bin/Release/net10.0"
generator="$repo_root/tests/CommissionPlanner.Benchmarks/bin/Release/net10.0/CommissionPlanner.Benchmarks.dll"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port_from() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }

# new_key: a random bootstrap admin key for this run.
new_key() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# start_postgres CLUSTER PORT: a fresh private cluster (its old data wiped) with an empty database "planner"; sets
# pg_port (the port it got: PORT or the next free one) and sql "STATEMENT", which prints the rows unaligned.
start_postgres() {
  "$pg" wipe "$1" >/dev/null 2>&1 || true
  pg_port=$("$pg" start "$1" "$2")
  "$pg" createdb "$1" planner
  psql_bin=$(dirname "$(readlink -f "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")")/psql
  [[ -x "$psql_bin" ]] || psql_bin=$(command -v psql)
}
sql() { "$psql_bin" -h 127.0.0.1 -p "$pg_port" -U postgres -d planner -tAc "$1"; }

# build_release: the planner and the benchmarks project (whose generator makes the programmes), Release.
build_release() {
  log "building the planner and the benchmarks (Release)..."
  dotnet build "$repo_root/src/CommissionPlanner.Web" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null || fail "the planner did not build."
  dotnet build "$repo_root/tests/CommissionPlanner.Benchmarks" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null || fail "the benchmarks did not build."
}

# generate_programme FILE [generator options]: a generated programme document (ProgrammeGenerator, Packed shape).
generate_programme() {
  local file=$1
  shift
  dotnet "$generator" generate --out "$file" "$@" || fail "could not generate the programme."
}

# start_planner_at BASE KEY CLUSTER_ID SILO_PORT_FROM: the Release build in the background with Production settings,
# rate limits off and logging at Warning, on the private cluster at pg_port, logging to $state/planner.log; returns once
# it answers /health/ready (sets planner_pid). The process inherits the caller's environment (DOTNET_* included).
start_planner_at() {
  local base=$1 key=$2 cluster_id=$3 silo_port
  silo_port=$(free_port_from "$4")
  (
    cd "$out"
    export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$base" Planner__MigrateOnStart=true Planner__BootstrapAdminKey="$key" \
      Planner__RateLimits__Enabled=false Planner__PublicBaseUrl="$base" Logging__LogLevel__Default=Warning \
      ConnectionStrings__Planner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=planner" \
      Orleans__SiloPort="$silo_port" Orleans__ClusterId="$cluster_id"
    exec dotnet CommissionPlanner.Web.dll
  ) >>"$state/planner.log" 2>&1 &
  planner_pid=$!
  for _ in $(seq 1 120); do
    curl -fs "$base/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$planner_pid" 2>/dev/null || fail "the planner stopped during start-up; see $state/planner.log"
    sleep 1
  done
  fail "the planner did not become ready within two minutes; see $state/planner.log"
}

# stop_planner: SIGTERM (a graceful shutdown), SIGKILL after 30 s.
stop_planner() {
  if [[ -n "${planner_pid:-}" ]] && kill -0 "$planner_pid" 2>/dev/null; then
    kill -TERM "$planner_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$planner_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$planner_pid" 2>/dev/null || true
    wait "$planner_pid" 2>/dev/null || true
  fi
  planner_pid=""
}
