#!/usr/bin/env bash
# The scale test's programme feed alone (issue 22; docs/performance.md, "Cold programme feed"): imports the scale test's
# big programme (20,000 people, 5,000 engagements, 40 attendees each; FEEDCOLD_PEOPLE, FEEDCOLD_ENGAGEMENTS,
# FEEDCOLD_SLOTS, FEEDCOLD_EVENTS change the shape) once, makes a programme feed of it, then FEEDCOLD_STARTS times (3):
# starts the planner afresh (nothing rendered, nothing cached), sends one unrelated request (so the first GET does not
# also pay for opening the first database connection), and times the feed's first GET and a repeat. A minute or two in
# all, instead of the scale test's fourteen.
#   deploy/perf/feed-cold.sh                 # builds Release first; FEEDCOLD_BUILD=0 skips the builds
# Ports: PostgreSQL FEEDCOLD_PG_PORT (56232), HTTP FEEDCOLD_HTTP_PORT (5780), silo FEEDCOLD_SILO_PORT (11811). The
# cluster ("feedcold", fresh each run) and the planner are stopped on exit, also on failure or Ctrl-C. Results:
# .data/feed-cold/ (git-ignored): the first GET's body of each start, which must be byte-identical across starts.
# The last line is exactly: "programme feed first GET ms = X (worst of N starts; each: A B C)".
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$repo_root/deploy/perf"
cluster=feedcold
state="$repo_root/.data/feed-cold"
people=${FEEDCOLD_PEOPLE:-20000}
engagements=${FEEDCOLD_ENGAGEMENTS:-5000}
slots=${FEEDCOLD_SLOTS:-100}
events=${FEEDCOLD_EVENTS:-10}
starts=${FEEDCOLD_STARTS:-3}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "feed-cold.sh: $*" >&2; exit 1; }
log() { echo "feed-cold.sh: $*" >&2; }
# shellcheck source=deploy/perf/lib.sh
source "$here/lib.sh"

planner_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_planner
  "$pg" stop "$cluster" >/dev/null 2>&1 || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for v in "$people" "$engagements" "$slots" "$events" "$starts"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || fail "the FEEDCOLD_* sizes and counts must be positive whole numbers."
done
(( starts <= 20 )) || fail "keep it bounded: FEEDCOLD_STARTS <= 20."

rm -rf "$state"; mkdir -p "$state"
start_postgres "$cluster" "${FEEDCOLD_PG_PORT:-56232}"
if [[ "${FEEDCOLD_BUILD:-1}" != 0 ]]; then build_release; fi
generate_programme "$state/big.json" --people "$people" --engagements "$engagements" --slots "$slots" --events "$events" \
  --packed false --external-id feed-cold --name "Scale test: the big programme"

port=$(free_port_from "${FEEDCOLD_HTTP_PORT:-5780}")
key=$(new_key)
base="http://127.0.0.1:$port"
auth=(-H "Authorization: Bearer $key")
start_planner_at "$base" "$key" commission-planner-feedcold "${FEEDCOLD_SILO_PORT:-11811}"
log "importing $people people, $engagements engagements, $((people * events)) attendees..."
status=$(curl -s --max-time 300 -o "$state/import.json" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
  -X POST "$base/api/programmes/import" --data-binary @"$state/big.json") || status=curl-failed
[[ "$status" == 201 ]] || fail "the import answered $status; see $state/import.json"
big=$(sed -n 's/.*"programmeId":"\([0-9a-f-]*\)".*/\1/p' "$state/import.json")
feed=$(curl -fs --max-time 30 "${auth[@]}" -H 'Content-Type: application/json' -X POST "$base/api/programmes/$big/feeds" -d '{}' \
  | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
[[ "$feed" == "$base/feeds/"*.ics ]] || fail "could not create the programme's feed."
stop_planner
sql "VACUUM ANALYZE" >/dev/null; sql "CHECKPOINT" >/dev/null

firsts=()
for n in $(seq 1 "$starts"); do
  start_planner_at "$base" "$key" commission-planner-feedcold "${FEEDCOLD_SILO_PORT:-11811}"
  curl -fs --max-time 30 -o /dev/null "${auth[@]}" "$base/api/programmes?limit=1" || fail "GET /api/programmes failed."
  sleep 2
  read -r code first_s bytes < <(curl -s --max-time 120 -o "$state/feed-$n.ics" -w '%{http_code} %{time_total} %{size_download}\n' "$feed") || true
  [[ "$code" == 200 ]] || fail "the feed's first GET answered $code."
  read -r code repeat_s _ < <(curl -s --max-time 120 -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' "$feed") || true
  first_ms=$(awk -v s="$first_s" 'BEGIN { printf "%.1f", s * 1000 }')
  firsts+=("$first_ms")
  log "start $n: first GET $first_ms ms ($((bytes / 1024)) KiB, $(grep -c '^BEGIN:VEVENT' "$state/feed-$n.ics") events), repeat $(awk -v s="$repeat_s" 'BEGIN { printf "%.1f", s * 1000 }') ms"
  if (( n > 1 )); then cmp -s "$state/feed-1.ics" "$state/feed-$n.ics" || fail "start $n's feed differs from start 1's."; fi
  stop_planner
done
sha256sum "$state/feed-1.ics" | cut -c1-64 > "$state/feed.sha256"
log "the feed's SHA-256: $(cat "$state/feed.sha256") (in $state/feed.sha256)"
worst=$(printf '%s\n' "${firsts[@]}" | sort -n | tail -1)
echo "programme feed first GET ms = $worst (worst of $starts starts; each: ${firsts[*]})"
