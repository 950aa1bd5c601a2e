#!/usr/bin/env bash
# Memory test of one silo (issue 9, docs/performance.md): "a silo with 10,000 people's itineraries active under 1 GiB".
#
# Starts the planner (Release build, Production settings, rate limits off) on a private PostgreSQL cluster of its own
# ("memory", fresh data each run, its own ports so it never meets load-test.sh's "perf" cluster), imports a generated
# programme through HTTP (by default 10,000 people with 10 events each, Packed: every person in slots 0-9, slots
# 10-139 free for everyone), then activates every person's itinerary grain: one attendee add per person (person p into
# free slot 10 + (p div 20) mod 130, engagement p mod 20 of that slot, so each add is a valid booking and answers 201;
# the engagement grain asks the person's itinerary grain to reserve the slot), then one itinerary GET per person. The
# requests go from one curl process (--parallel, a config file of one transfer per person: exactly one request per
# person, each bounded by --max-time, the whole phase by MEMORY_PHASE_TIMEOUT) to 127.0.0.1; their statuses are
# tallied. GET /api/admin/cluster gives the grain activations by type. The planner's memory comes from outside, from
# /proc/PID/status: VmRSS (resident now; RssAnon = heaps, RssFile = mapped files) and VmHWM (the peak), read after
# start-up, after the import, after the adds, after the GETs and after MEMORY_SETTLE seconds idle. The peak is reset
# (clear_refs 5) after the import (or, with MEMORY_RESTART=1, the planner restarted), so a peak above the import's is
# the activation's; the last line's peak is the larger of the two, the run's. Everything it starts is stopped on
# exit, even on failure or Ctrl-C. Results and logs: .data/memory-test/ (git-ignored; the PostgreSQL cluster lives in
# .data/memory/). The last three lines are exactly:
#   itinerary activations = N        (ItineraryGrain activations on the silo, after the settle)
#   silo RSS MiB = X                 (VmRSS after the settle, every person's itinerary active)
#   silo RSS peak MiB = Y            (VmHWM, the whole run: the larger of the import's and the activation's peak)
# It exits non-zero when an add did not answer 201, an itinerary GET did not answer 200, or fewer than MEMORY_PEOPLE
# itinerary grains are active (after printing those lines).
#
# Settings (environment): MEMORY_PEOPLE (10000), MEMORY_ENGAGEMENTS (2800), MEMORY_SLOTS (140), MEMORY_EVENTS (events
# per person, 10), MEMORY_WRITERS (concurrent adds, 16), MEMORY_READERS (concurrent GETs, 32), MEMORY_SETTLE (idle
# seconds before the last reading, 10), MEMORY_PHASE_TIMEOUT (seconds for the adds, and for the GETs, 600),
# MEMORY_HTTP_PORT (5480), MEMORY_PG_PORT (55832), MEMORY_BUILD (0 to skip the builds), MEMORY_GC_SERVER (unset: the
# build's GC, workstation GC (see the Web project); 0 or 1 sets DOTNET_gcServer, to compare the two), MEMORY_RESTART (1 to
# restart the planner between the import and the adds, so the activation's peak is not the import's: in one process
# the import's garbage is still resident when the adds start; 0 by default).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cluster=memory
state="$repo_root/.data/memory-test"
people=${MEMORY_PEOPLE:-10000}
engagements=${MEMORY_ENGAGEMENTS:-2800}
slots=${MEMORY_SLOTS:-140}
events=${MEMORY_EVENTS:-10}
writers=${MEMORY_WRITERS:-16}
readers=${MEMORY_READERS:-32}
settle=${MEMORY_SETTLE:-10}
phase_timeout=${MEMORY_PHASE_TIMEOUT:-600}
restart=${MEMORY_RESTART:-0}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "memory-test.sh: $*" >&2; exit 1; }
log() { echo "memory-test.sh: $*" >&2; }
# shellcheck source=deploy/perf/lib.sh
source "$repo_root/deploy/perf/lib.sh"

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

for v in "$people" "$engagements" "$slots" "$events" "$writers" "$readers" "$phase_timeout"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || fail "MEMORY_PEOPLE, _ENGAGEMENTS, _SLOTS, _EVENTS, _WRITERS, _READERS and _PHASE_TIMEOUT must be positive whole numbers."
done
[[ "$restart" =~ ^[01]$ ]] || fail "MEMORY_RESTART is 0 or 1."
[[ "$settle" =~ ^[0-9]+$ ]] && (( settle <= 600 )) || fail "MEMORY_SETTLE must be a whole number of seconds, at most 600."
(( phase_timeout <= 3600 )) || fail "keep it bounded: MEMORY_PHASE_TIMEOUT at most 3600."
# A valid Packed programme with room for one add per person: whole slots, at least one free slot after the events.
(( engagements % slots == 0 )) || fail "MEMORY_ENGAGEMENTS must be a multiple of MEMORY_SLOTS."
(( events < slots )) || fail "MEMORY_EVENTS must be below MEMORY_SLOTS (the adds go into the slots after the events)."
per_slot=$((engagements / slots))
first_free=$events
free_slots=$((slots - events))
[[ -z "${MEMORY_GC_SERVER:-}" || "${MEMORY_GC_SERVER}" =~ ^[01]$ ]] || fail "MEMORY_GC_SERVER is 0 or 1 (or unset)."
command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is required."
command -v curl >/dev/null 2>&1 || fail "curl is required (apt-get install curl)."
curl --help all 2>/dev/null | grep -q -- '--parallel-max' || fail "curl 7.66 or later is required (--parallel)."

# --- memory, from /proc ---------------------------------------------------------------------------------------------
# status_kib FIELD: a field of the planner's /proc/PID/status, in KiB.
status_kib() { awk -v f="$1:" '$1 == f {print $2}' "/proc/$planner_pid/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
memory_file="$state/memory.tsv"
# reading NAME: one row of memory.tsv (MiB) and a log line.
reading() {
  local rss hwm anon file threads
  rss=$(status_kib VmRSS); hwm=$(status_kib VmHWM); anon=$(status_kib RssAnon); file=$(status_kib RssFile); threads=$(status_kib Threads)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(mib "$rss")" "$(mib "$hwm")" "$(mib "$anon")" "$(mib "$file")" "$threads" >> "$memory_file"
  log "$1: VmRSS $(mib "$rss") MiB (RssAnon $(mib "$anon"), RssFile $(mib "$file")), VmHWM $(mib "$hwm") MiB, $threads threads"
}
column_of() { awk -F'\t' -v r="$1" -v c="$2" '$1 == r {print $c}' "$memory_file"; }

# --- PostgreSQL, the builds and the planner -------------------------------------------------------------------------
rm -rf "$state"; mkdir -p "$state"
printf 'when\tvm_rss_mib\tvm_hwm_mib\trss_anon_mib\trss_file_mib\tthreads\n' > "$memory_file"
start_postgres "$cluster" "${MEMORY_PG_PORT:-55832}"
if [[ "${MEMORY_BUILD:-1}" != 0 ]]; then build_release; fi
# The generator keeps the LoadTest shape's Packed layout and takes these sizes; its Validate() refuses a shape that
# does not divide into whole slots.
generate_programme "$state/programme.json" --people "$people" --engagements "$engagements" --slots "$slots" --events "$events"
programme_bytes=$(stat -c %s "$state/programme.json")
(( programme_bytes <= 32 * 1024 * 1024 )) || fail "the generated programme is $programme_bytes bytes, over the import's 32 MiB limit."

port=$(free_port_from "${MEMORY_HTTP_PORT:-5480}")
key=$(new_key)
base="http://127.0.0.1:$port"
# start_planner: the planner in the background (planner_pid), once it answers /health/ready.
[[ -n "${MEMORY_GC_SERVER:-}" ]] && export DOTNET_gcServer="$MEMORY_GC_SERVER"
start_planner() {
  start_planner_at "$base" "$key" commission-planner-memory 11511
  printf 'base=%s\nkey=%s\nplanner_pid=%s\n' "$base" "$key" "$planner_pid" > "$state/env"
  sleep 2
}
start_planner
reading started

# --- the import -----------------------------------------------------------------------------------------------------
auth=(-H "Authorization: Bearer $key")
started=$(date +%s.%N)
status=$(curl -s --max-time 900 -o "$state/import.json" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
  -X POST "$base/api/programmes/import" --data-binary @"$state/programme.json") || status="curl-failed"
import_seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[[ "$status" == 201 ]] || fail "the import answered $status; see $state/import.json"
programme_id=$(sed -n 's/.*"programmeId":"\([0-9a-f-]*\)".*/\1/p' "$state/import.json")
[[ -n "$programme_id" ]] || fail "the import's answer has no programmeId; see $state/import.json"
# All or nothing: the database holds exactly what the document says.
counts=$(sql "SELECT (SELECT count(*) FROM people WHERE programme_id = '$programme_id') || ' ' ||
  (SELECT count(*) FROM engagements WHERE programme_id = '$programme_id') || ' ' ||
  (SELECT count(*) FROM attendees a JOIN engagements e ON e.id = a.engagement_id WHERE e.programme_id = '$programme_id')")
[[ "$counts" == "$people $engagements $((people * events))" ]] \
  || fail "the import stored people, engagements, attendees = $counts; expected $people $engagements $((people * events))."
log "imported the generated programme ($programme_id, $((programme_bytes / 1024)) KiB: $people people, $engagements engagements, $((people * events)) attendees) in ${import_seconds}s through HTTP"
reading imported
import_peak=$(column_of imported 3)
if [[ $restart == 1 ]]; then
  # A fresh silo for the activation (MEMORY_RESTART=1): what it holds and peaks at is the itineraries' alone.
  log "restarting the planner (MEMORY_RESTART=1)..."
  stop_planner
  start_planner
  peak_reset=1
  reading restarted
else
  # Reset the peak (VmHWM), so a peak above the import's is the activation's.
  if echo 5 > "/proc/$planner_pid/clear_refs" 2>/dev/null; then peak_reset=1; else peak_reset=0; log "could not reset VmHWM; the peaks below include the import"; fi
  sleep 2
  reading "idle after import"
fi

# --- the requests: one curl, one transfer per person ------------------------------------------------------------------
# Person p (generator order, p00000...) into free slot first_free + (p div per_slot) mod free_slots, engagement
# p mod per_slot of that slot (engagements e<slot>-<index>): the generator put every person in slots 0 to events - 1
# only, slots are an hour apart, and each person is added once, so every add is a valid booking. Consecutive people
# (what the parallel transfers send together) are at distinct engagements.
sql "SELECT p.id || ' ' || e.id FROM (
       SELECT id, row_number() OVER (ORDER BY external_id) - 1 AS n FROM people WHERE programme_id = '$programme_id') p
     JOIN engagements e ON e.programme_id = '$programme_id'
       AND e.external_id = 'e' || lpad(($first_free + (p.n / $per_slot) % $free_slots)::text, 4, '0') || '-' || lpad((p.n % $per_slot)::text, 3, '0')
     ORDER BY p.n" > "$state/pairs.txt"
[[ $(wc -l < "$state/pairs.txt") == "$people" ]] || fail "expected $people (person, engagement) pairs, found $(wc -l < "$state/pairs.txt")."
# curl config files: one group of options per transfer, separated by "next" (none after the last: curl would take
# an empty group for a missing URL); the status and URL of each transfer on stdout.
awk -v base="$base" -v key="$key" '{
  if (NR > 1) print "next"
  printf "url = \"%s/api/engagements/%s/attendees\"\n", base, $2
  printf "header = \"Authorization: Bearer %s\"\nheader = \"Content-Type: application/json\"\n", key
  printf "data = \"{\\\"personId\\\":\\\"%s\\\",\\\"role\\\":\\\"optional\\\"}\"\n", $1
  printf "output = \"/dev/null\"\nmax-time = 60\nwrite-out = \"%%{http_code} %%{url_effective}\\n\"\n"
}' "$state/pairs.txt" > "$state/adds.curl"
awk -v base="$base" -v key="$key" '{
  if (NR > 1) print "next"
  printf "url = \"%s/api/people/%s/itinerary\"\n", base, $1
  printf "header = \"Authorization: Bearer %s\"\n", key
  printf "output = \"/dev/null\"\nmax-time = 60\nwrite-out = \"%%{http_code} %%{url_effective}\\n\"\n"
}' "$state/pairs.txt" > "$state/gets.curl"

# phase NAME CONFIG PARALLEL: runs the transfers, sets phase_seconds and phase_statuses ("201=9998 409=2").
phase() {
  local name=$1 config=$2 parallel=$3 begun
  begun=$(date +%s.%N)
  timeout "$phase_timeout" curl -sS --no-progress-meter --parallel --parallel-max "$parallel" -K "$config" > "$state/$name.out" 2> "$state/$name.err" \
    || log "$name: curl ended with status $? (a timeout is 124); see $state/$name.err"
  phase_seconds=$(awk -v a="$begun" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  phase_statuses=$(awk '{ n[$1]++ } END { for (s in n) printf "%s=%d ", s, n[s] }' "$state/$name.out" | tr ' ' '\n' | sort | paste -sd' ' | sed 's/^ *//')
  phase_total=$(wc -l < "$state/$name.out")
  phase_rate=$(awk -v n="$phase_total" -v s="$phase_seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  log "$name: $phase_total requests in ${phase_seconds}s ($phase_rate/s, $parallel concurrent), statuses: ${phase_statuses:-none}"
}
count_of() { awk -v s="$1" '$1 == s { n++ } END { print n + 0 }' "$2"; }

log "adding each of the $people people to one engagement ($writers concurrent)..."
phase adds "$state/adds.curl" "$writers"
adds_seconds=$phase_seconds adds_statuses=$phase_statuses adds_rate=$phase_rate
adds_ok=$(count_of 201 "$state/adds.out")
awk '$1 != 201' "$state/adds.out" | head -5 | while read -r line; do log "  not 201: $line"; done
reading "after adds"

# cluster_activations: GET /api/admin/cluster; sets activations_by_type ("EngagementGrain=2600 ItineraryGrain=10000")
# and itinerary_activations, for this silo.
cluster_activations() {
  curl -fs --max-time 30 "${auth[@]}" "$base/api/admin/cluster" > "$state/cluster.json" || fail "GET /api/admin/cluster failed."
  # One silo: its "activations" object, {"Type":N,...}.
  activations_by_type=$(tr -d '\n' < "$state/cluster.json" | sed -n 's/.*"isThisSilo":true[^{}]*"activations":{\([^}]*\)}.*/\1/p' \
    | tr ',' '\n' | sed 's/^"\([^"]*\)":\([0-9]*\)$/\1=\2/' | sort | paste -sd' ')
  itinerary_activations=$(tr ' ' '\n' <<<"$activations_by_type" | sed -n 's/^ItineraryGrain=\([0-9]*\)$/\1/p')
  itinerary_activations=${itinerary_activations:-0}
}
cluster_activations
log "activations after the adds: ${activations_by_type:-none reported; see $state/cluster.json}"

log "reading each person's itinerary ($readers concurrent)..."
phase gets "$state/gets.curl" "$readers"
gets_seconds=$phase_seconds gets_statuses=$phase_statuses gets_rate=$phase_rate
gets_ok=$(count_of 200 "$state/gets.out")
reading "after itinerary GETs"

log "idle for ${settle}s..."
sleep "$settle"
reading settled
cluster_activations
cp "$state/cluster.json" "$state/cluster-settled.json"
log "activations after the settle: ${activations_by_type:-none reported; see $state/cluster.json}"

# --- summary --------------------------------------------------------------------------------------------------------
activation_peak=$(column_of settled 3)
run_peak=$(( import_peak > activation_peak ? import_peak : activation_peak ))
gc_mode=${MEMORY_GC_SERVER:+DOTNET_gcServer=$MEMORY_GC_SERVER}
echo
echo "memory test: $people people ($events events each, $engagements engagements in $slots slots), Release, Production, $(nproc) cores, ${gc_mode:-workstation GC, the build default}"
echo "when                  VmRSS-MiB  VmHWM-MiB  RssAnon-MiB  RssFile-MiB  threads"
tail -n +2 "$memory_file" | awk -F'\t' '{ printf "%-21s %9s  %9s  %11s  %11s  %7s\n", $1, $2, $3, $4, $5, $6 }'
echo "import of the generated programme through HTTP = ${import_seconds}s ($((programme_bytes / 1024)) KiB); peak RSS to the import = ${import_peak} MiB"
if [[ $restart == 1 ]]; then echo "peak RSS of the restarted silo (activation, GETs, settle) = ${activation_peak} MiB"
elif [[ $peak_reset == 1 ]]; then echo "peak RSS from after the import to the end (VmHWM reset after the import; the import's garbage is still resident when the adds start) = ${activation_peak} MiB"; fi
echo "attendee adds: $adds_ok of $people answered 201 in ${adds_seconds}s (${adds_rate}/s, $writers concurrent); statuses: ${adds_statuses:-none}"
echo "itinerary GETs: $gets_ok of $people answered 200 in ${gets_seconds}s (${gets_rate}/s, $readers concurrent); statuses: ${gets_statuses:-none}"
echo "activations by grain type (this silo, after the settle): ${activations_by_type:-not reported}"
echo "results: $memory_file"
echo "itinerary activations = $itinerary_activations"
echo "silo RSS MiB = $(column_of settled 2)"
echo "silo RSS peak MiB = $run_peak"
(( adds_ok == people )) || exit 1
(( gets_ok == people )) || exit 1
(( itinerary_activations >= people )) || exit 1
