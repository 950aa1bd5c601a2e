#!/usr/bin/env bash
# Load test of the planner against nginx and a bare ASP.NET Core endpoint on the same bytes (issues 9 and 22,
# docs/performance.md).
#
# Starts the planner (Release build, Production settings, rate limits off) on a private PostgreSQL cluster of its own
# ("perf", fresh data each run), imports a generated programme (800 people, 60-event person feeds), and serves one
# person's feed bytes as a static file from nginx (one worker, sendfile, etag on) on another loopback port, and from
# memory by a bare ASP.NET Core endpoint (CommissionPlanner.Benchmarks bare: the same runtime, Kestrel and GC settings,
# nothing but the bytes and an ETag: the framework's floor) on a third. Then, for ROUNDS rounds, it rotates planner,
# nginx and bare runs of wrk against 127.0.0.1 for SECONDS each: feed 200s, feed 304s
# (If-None-Match with the current ETag), then planner-only itinerary GETs and attendee adds (16 concurrent writers,
# distinct people at distinct engagements, each a valid booking, no pair reused across rounds; adds.lua tallies the
# response statuses). Server CPU per request comes from /proc/<pid>/stat (utime + stime deltas
# over requests): the planner's process plus its PostgreSQL's processes, nginx's master and worker, the bare process.
# wrk and nginx are installed from Debian with apt-get when missing (as root). Everything it starts is stopped on exit,
# even on failure. Results and logs: .data/load-test/ (git-ignored; the PostgreSQL cluster lives in .data/perf/). Each
# round first GETs the feed right after the previous round's adds (the "first GET after a change" figures), then, once
# the planner has settled, changes one of the feed's engagements (its description, PATCH) and GETs it again ("first GET
# after one change"). The two lines before the last twelve are "first GET after one change max ms = X" and
# "attendee-add non-2xx = N of M (statuses ...)". The last twelve lines are exactly:
#   feed-200/bare = R
#   feed-304/bare = R
#   feed-200 cpu/bare = R
#   feed-304 cpu/bare = R
#   feed-200/nginx = R
#   feed-304/nginx = R
#   feed-200 cpu/nginx = R
#   attendee-add p99 ms = X
#   attendee-add max ms = X
#   itinerary req/s = X
#   itinerary cpu ms = X
#   first GET after a change max ms = X
# (ratios and the itinerary's figures are means over the rounds; p99 and max the worst round's; cpu ms per request
# includes PostgreSQL's processes).
#
# Settings (environment): PERF_ROUNDS (3), PERF_SECONDS (10), PERF_CONNECTIONS (feed and itinerary connections, 32),
# PERF_WRITERS (16), PERF_THREADS (wrk threads, 2), PERF_HTTP_PORT (5380), PERF_NGINX_PORT (5390), PERF_BARE_PORT (5395),
# PERF_PG_PORT (55732),
# PERF_BUILD (0 to skip the builds), PERF_WARMUP (seconds of unrecorded load per workload before the rounds, 20; 0 for
# none), PERF_FEED_WARMUP (seconds of unrecorded feed 200s, then as many of 304s, for the planner and for the bare
# endpoint, 60; only when PERF_WARMUP is not 0), PERF_IDLE (seconds of quiet before each run, 0; e.g. 60 for what a burst after a quiet minute meets), PERF_ONLY
# (a comma-separated subset of feeds,itinerary,adds to run only those measurements, e.g. PERF_ONLY=adds while working
# on one path; the lines of the parts not run then read 0).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$repo_root/deploy/perf"
cluster=perf
state="$repo_root/.data/load-test"
rounds=${PERF_ROUNDS:-3}
seconds=${PERF_SECONDS:-10}
connections=${PERF_CONNECTIONS:-32}
writers=${PERF_WRITERS:-16}
threads=${PERF_THREADS:-2}
only=${PERF_ONLY:-feeds,itinerary,adds}
warmup=${PERF_WARMUP:-20}
feed_warmup=${PERF_FEED_WARMUP:-60}
idle=${PERF_IDLE:-0}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "load-test.sh: $*" >&2; exit 1; }
log() { echo "load-test.sh: $*" >&2; }
# shellcheck source=deploy/perf/lib.sh
source "$here/lib.sh"

planner_pid="" nginx_pid="" bare_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_planner
  if [[ -n "$bare_pid" ]] && kill -0 "$bare_pid" 2>/dev/null; then
    kill -TERM "$bare_pid" 2>/dev/null || true
    wait "$bare_pid" 2>/dev/null || true
  fi
  if [[ -n "$nginx_pid" ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  "$pg" stop "$cluster" >/dev/null 2>&1 || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ "$warmup" =~ ^[0-9]+$ ]] && (( warmup <= 120 )) || fail "PERF_WARMUP must be a whole number of seconds, at most 120."
[[ "$feed_warmup" =~ ^[0-9]+$ ]] && (( feed_warmup <= 300 )) || fail "PERF_FEED_WARMUP must be a whole number of seconds, at most 300."
[[ "$idle" =~ ^[0-9]+$ ]] && (( idle <= 600 )) || fail "PERF_IDLE must be a whole number of seconds, at most 600."
for v in "$rounds" "$seconds" "$connections" "$writers" "$threads"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || fail "PERF_ROUNDS, PERF_SECONDS, PERF_CONNECTIONS, PERF_WRITERS and PERF_THREADS must be positive whole numbers."
done
(( seconds <= 60 && rounds <= 10 )) || fail "keep it bounded: PERF_SECONDS at most 60 and PERF_ROUNDS at most 10."
[[ ",$only," =~ ^(,(feeds|itinerary|adds))+,$ ]] || fail "PERF_ONLY is a comma-separated subset of feeds,itinerary,adds."
measures() { [[ ",$only," == *",$1,"* ]]; }
command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is required."
command -v curl >/dev/null 2>&1 || fail "curl is required (apt-get install curl)."

# --- wrk and nginx, from Debian -------------------------------------------------------------------------------------
nginx_bin=$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)
if ! command -v wrk >/dev/null 2>&1 || [[ -z "$nginx_bin" ]]; then
  [[ $(id -u) -eq 0 ]] || fail "wrk and nginx are required: sudo apt-get install wrk nginx"
  log "installing wrk and nginx with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  # No service start during the install: this script runs its own nginx.
  own_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  { apt-get install -y -qq wrk nginx >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk nginx >/dev/null 2>&1; }; } \
    || { [[ $own_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d; fail "could not install wrk and nginx with apt-get."; }
  [[ $own_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
fi

# --- PostgreSQL, the builds and the planner -------------------------------------------------------------------------
rm -rf "$state"; mkdir -p "$state/nginx/html" "$state/nginx/tmp"
start_postgres "$cluster" "${PERF_PG_PORT:-55732}"
postmaster_pid=$(head -1 "$("$pg" dir "$cluster")/pgdata/postmaster.pid")
if [[ "${PERF_BUILD:-1}" != 0 ]]; then build_release; fi
generate_programme "$state/programme.json"

port=$(free_port_from "${PERF_HTTP_PORT:-5380}")
nginx_port=$(free_port_from "${PERF_NGINX_PORT:-5390}")
[[ "$nginx_port" != "$port" ]] || nginx_port=$(free_port_from $((port + 1)))
key=$(new_key)
base="http://127.0.0.1:$port"
start_planner_at "$base" "$key" commission-planner-perf 11411

auth=(-H "Authorization: Bearer $key")
started=$(date +%s.%N)
status=$(curl -s -o "$state/import.json" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
  -X POST "$base/api/programmes/import" --data-binary @"$state/programme.json")
import_seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[[ "$status" == 201 ]] || fail "the import answered $status; see $state/import.json"
programme_id=$(sed -n 's/.*"programmeId":"\([0-9a-f-]*\)".*/\1/p' "$state/import.json")
log "imported the generated programme ($programme_id) in ${import_seconds}s through HTTP"

# Ids for the wrk scripts, in the generator's order (people p00000..., engagements e<slot>-<index>).
{
  echo "people = {"; sql "SELECT '\"' || id || '\",' FROM people WHERE programme_id = '$programme_id' ORDER BY external_id"; echo "}"
  echo "engagements = {"; sql "SELECT '\"' || id || '\",' FROM engagements WHERE programme_id = '$programme_id' ORDER BY external_id"; echo "}"
  # LoadTest shape (tests/CommissionPlanner.Benchmarks/ProgrammeGenerator.cs, Packed): 260 slots of 20, people fill
  # slots 0-59 only, so slots 60-259 are free for every person.
  echo "perSlot = 20"; echo "firstFree = 60"; echo "freeSlots = 200"
} > "$state/perf-ids.lua"
person=$(sql "SELECT id FROM people WHERE programme_id = '$programme_id' ORDER BY external_id LIMIT 1")
feed_url=$(curl -fs "${auth[@]}" -H 'Content-Type: application/json' -X POST "$base/api/people/$person/feeds" -d '{}' \
  | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
[[ "$feed_url" == "$base/feeds/"*.ics ]] || fail "could not create a feed for person $person."
feed_path=${feed_url#"$base"}
# Itinerary GETs and adds are sent as an organiser with a stored key, as staff send them: a stored key is looked up in
# PostgreSQL (remembered for a second), where the bootstrap key of the set-up above is only compared in memory.
staff_key=$(curl -fs "${auth[@]}" -H 'Content-Type: application/json' -X POST "$base/api/keys" \
  -d '{"name":"load test organiser","role":"organiser"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
[[ -n "$staff_key" ]] || fail "could not create an organiser key."

# --- nginx: the same bytes as a static file ---------------------------------------------------------------------------
cat > "$state/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
$( [[ $(id -u) -eq 0 ]] && echo "user root;" )
pid $state/nginx/nginx.pid;
error_log $state/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  etag on;
  keepalive_requests 1000000;
  client_body_temp_path $state/nginx/tmp/body;
  proxy_temp_path $state/nginx/tmp/proxy;
  fastcgi_temp_path $state/nginx/tmp/fastcgi;
  uwsgi_temp_path $state/nginx/tmp/uwsgi;
  scgi_temp_path $state/nginx/tmp/scgi;
  types { text/calendar ics; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $state/nginx/html;
    location / { add_header Cache-Control "private, no-cache"; }
  }
}
NGINX
# nginx's file and the bare endpoint's memory: the planner's current bytes.
refresh_static() {
  curl -fs "$base$feed_path" -o "$state/nginx/html/feed.ics.new" && mv "$state/nginx/html/feed.ics.new" "$state/nginx/html/feed.ics" || return 1
  [[ -z "$bare_pid" ]] || curl -fs -X POST "http://127.0.0.1:$bare_port/reload" -o /dev/null
}
refresh_static || fail "the planner did not serve the feed."
"$nginx_bin" -p "$state/nginx" -c "$state/nginx/nginx.conf" >"$state/nginx/stdout.log" 2>&1 &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$nginx_port/feed.ics" -o /dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$nginx_port/feed.ics" -o /dev/null || fail "nginx did not start; see $state/nginx/error.log"
nginx_url="http://127.0.0.1:$nginx_port/feed.ics"

# --- the bare ASP.NET Core endpoint: the same bytes from memory -------------------------------------------------------
bare_port=$(free_port_from "${PERF_BARE_PORT:-5395}")
[[ "$bare_port" != "$port" && "$bare_port" != "$nginx_port" ]] || bare_port=$(free_port_from $((nginx_port + 6)))
# Production, like the planner; its own process, so its CPU is its own.
ASPNETCORE_ENVIRONMENT=Production dotnet "$generator" bare --file "$state/nginx/html/feed.ics" --port "$bare_port" > "$state/bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$bare_port/feed.ics" -o /dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$bare_port/feed.ics" -o /dev/null || fail "the bare endpoint did not start; see $state/bare.log"
bare_url="http://127.0.0.1:$bare_port/feed.ics"

# --- measuring ------------------------------------------------------------------------------------------------------
ticks_per_second=$(getconf CLK_TCK)
# utime + stime of the given pids; cutime + cstime too for a parent that reaps children (PostgreSQL's backends).
cpu_ticks() {
  local -a files=()
  local pid
  for pid in "$@"; do [[ -r "/proc/$pid/stat" ]] && files+=("/proc/$pid/stat"); done
  # One awk for all of them: settle() samples twice a second, and a fork per pid made each sample take a second or
  # more. A pid gone between the test and the read is skipped (cat goes on, and its status must not fail the pipe).
  (( ${#files[@]} > 0 )) || { echo 0; return; }
  { cat "${files[@]}" 2>/dev/null || true; } | awk '{ sub(/^.*\) /, ""); total += $12 + $13 + $14 + $15 } END { print total + 0 }'
}
planner_pids() { echo "$planner_pid" "$postmaster_pid" $(cat "/proc/$postmaster_pid/task/$postmaster_pid/children" 2>/dev/null); }
nginx_pids() { echo "$nginx_pid" $(cat "/proc/$nginx_pid/task/$nginx_pid/children" 2>/dev/null); }
server_pids() { case $1 in planner) planner_pids ;; nginx) nginx_pids ;; bare) echo "$bare_pid" ;; esac; }
etag_of() { curl -fsI "$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'; }
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

results="$state/results.tsv"
printf 'round\tname\tserver\trequests\trps\tp50_ms\tp99_ms\tcpu_ms_per_req\tplanner_cpu_ms_per_req\terrors\tmax_ms\n' > "$results"
# Waits (at most 15 s) until the planner and its PostgreSQL are idle: under 5% of a core over half a second. Work left
# over from the previous run (a background GC, autovacuum after the adds, a checkpoint) would otherwise be charged to
# the next run's requests; nginx has no such backlog. Such work takes most of a core; an idle planner and its cluster
# take 1-3% (Orleans' timers, the change-stamp fold every second), which a 2% threshold mistook for work left over.
settle() {
  local before after waited=0 started
  started=$(date +%s%N)
  while (( waited < 15000 )); do
    before=$(cpu_ticks $(planner_pids)); sleep 0.5; after=$(cpu_ticks $(planner_pids))
    (( (after - before) * 1000 / ticks_per_second <= 25 )) && return 0
    waited=$(( ($(date +%s%N) - started) / 1000000 ))
  done
  log "the planner was still busy after 15 s of waiting; measuring anyway"
}

# run NAME SERVER(planner|nginx|bare) CONNECTIONS URL [wrk options...] [-- script arguments...]
run() {
  local name=$1 server=$2 conns=$3 url=$4; shift 4
  (( idle == 0 )) || sleep "$idle"
  settle
  local -a options=() script_args=()
  while (( $# > 0 )) && [[ $1 != -- ]]; do options+=("$1"); shift; done
  (( $# > 0 )) && script_args=("$@")
  local file="$state/wrk-r$round-$name-$server.txt" before after own_before own_after
  if [[ $server == planner ]]; then before=$(cpu_ticks $(planner_pids)); own_before=$(cpu_ticks "$planner_pid")
  else before=$(cpu_ticks $(server_pids "$server")); own_before=$before; fi
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency "${options[@]}" "$url" "${script_args[@]}" > "$file" 2>&1 || { cat "$file" >&2; fail "wrk failed ($name, $server)."; }
  if [[ $server == planner ]]; then after=$(cpu_ticks $(planner_pids)); own_after=$(cpu_ticks "$planner_pid")
  else after=$(cpu_ticks $(server_pids "$server")); own_after=$after; fi
  local requests rps p50 p99 errors max
  requests=$(awk '/requests in/ {print $1}' "$file")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$file")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$file")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$file")")
  # The slowest request of the run: the Max column of wrk's "Latency" thread-stats line.
  max=$(to_ms "$(awk '$1 == "Latency" {print $4; exit}' "$file")")
  errors=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {n += 1} END {print n + 0}' "$file")
  local cpu own
  cpu=$(awk -v t=$((after - before)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.4f", (r > 0 ? t * 1000 / hz / r : 0) }')
  own=$(awk -v t=$((own_after - own_before)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.4f", (r > 0 ? t * 1000 / hz / r : 0) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$server" "$requests" "$rps" "$p50" "$p99" "$cpu" "$own" "$errors" "$max" >> "$results"
  log "round $round $name $server: $rps req/s, p99 ${p99} ms, max ${max} ms, cpu ${cpu} ms/req, errors $errors"
  last_requests=$requests
}

printf 'base=%s\nfeed=%s\nkey=%s\nstaff_key=%s\nplanner_pid=%s\nnginx=%s\nbare=%s\n' "$base" "$base$feed_path" "$key" "$staff_key" "$planner_pid" "$nginx_url" "$bare_url" > "$state/env"
if [[ -n "${PERF_HOLD:-}" ]]; then
  log "holding ${PERF_HOLD}s before measuring (PERF_HOLD), for a profiler; URLs and key in $state/env"
  sleep "$PERF_HOLD" & wait $!
fi

# --- warm-up, not recorded ----------------------------------------------------------------------------------------------
# Right after start-up the planner runs code that tiered compilation has not optimised yet; a silo that serves delegates
# all day is long past that. So each workload runs once, unrecorded, before the rounds. Feeds get longer
# (PERF_FEED_WARMUP, 60 s of 200s and 60 s of 304s, the planner and the bare endpoint alike): under 304 load the
# planner's CPU per request kept falling for about two minutes (0.029 ms in the first minute, 0.025 after two; the bare
# endpoint's was flat at 0.023 after ten seconds; docs/performance.md, 25th session). The adds' warm-up uses pairs of
# its own: the rounds start after them.
add_offset=0
if (( warmup > 0 )); then
  log "warming up: ${warmup}s per workload (PERF_WARMUP), ${feed_warmup}s per feed workload and contender (PERF_FEED_WARMUP)"
  warm() { wrk -t"$threads" -d"${warmup}s" "$@" > "$state/wrk-warmup.txt" 2>&1 || { cat "$state/wrk-warmup.txt" >&2; fail "wrk failed (warm-up)."; }; }
  if measures feeds && (( feed_warmup > 0 )); then
    for feed_url in "$base$feed_path" "$bare_url"; do
      wrk -t"$threads" -c"$connections" -d"${feed_warmup}s" "$feed_url" > "$state/wrk-warmup.txt" 2>&1 || { cat "$state/wrk-warmup.txt" >&2; fail "wrk failed (feed warm-up)."; }
      wrk -t"$threads" -c"$connections" -d"${feed_warmup}s" -H "If-None-Match: $(etag_of "$feed_url")" "$feed_url" > "$state/wrk-warmup.txt" 2>&1 \
        || { cat "$state/wrk-warmup.txt" >&2; fail "wrk failed (feed warm-up, 304s)."; }
    done
  fi
  if measures itinerary; then warm -c"$connections" -s "$here/itinerary.lua" "$base/" -- "$state/perf-ids.lua" "$staff_key"; fi
  if measures adds; then
    warm -c"$writers" -s "$here/adds.lua" "$base/" -- "$state/perf-ids.lua" 0 "$staff_key" "$threads"
    last_pair=$(sed -n 's/^lua: last_pair=\(-\{0,1\}[0-9]*\)$/\1/p' "$state/wrk-warmup.txt")
    [[ "$last_pair" =~ ^-?[0-9]+$ ]] || fail "adds.lua reported no last pair in the warm-up; see $state/wrk-warmup.txt"
    add_offset=$((last_pair + 1))
  fi
fi

first_get_ms=() one_change_ms=()
# An engagement on the feed's person's list: each round changes its description once.
changed_engagement=$(sql "SELECT engagement_id FROM attendees WHERE person_id = '$person' ORDER BY engagement_id LIMIT 1")
for round in $(seq 1 "$rounds"); do
  # The first GET after a change re-renders from PostgreSQL (the adds of the previous round changed the programme).
  first_get_ms+=("$(curl -fs -o /dev/null -w '%{time_total}' "$base$feed_path" | awk '{printf "%.1f", $1 * 1000}')")
  # And the first GET after one change on a settled planner: what a subscriber's poll after an organiser's edit meets,
  # without the tail of a burst of 7,000 adds that the GET above competes with.
  settle
  code=$(curl -s -o "$state/patch.json" -w '%{http_code}' -H "Authorization: Bearer $staff_key" -H 'Content-Type: application/json' \
    -X PATCH "$base/api/engagements/$changed_engagement" -d "{\"description\":\"Load test round $round.\"}") || code=curl-failed
  [[ "$code" == 200 ]] || fail "PATCH /api/engagements/$changed_engagement answered $code; see $state/patch.json"
  one_change_ms+=("$(curl -fs -o "$state/feed-changed.ics" -w '%{time_total}' "$base$feed_path" | awk '{printf "%.1f", $1 * 1000}')")
  grep -q "Load test round $round\\." "$state/feed-changed.ics" || fail "the feed's GET after the change lacks it; see $state/feed-changed.ics"
  refresh_static
  cmp -s <(curl -fs "$base$feed_path") "$state/nginx/html/feed.ics" || fail "nginx and the planner serve different bytes."
  cmp -s <(curl -fs "$bare_url") "$state/nginx/html/feed.ics" || fail "the bare endpoint and the planner serve different bytes."
  declare -A url_of=([planner]="$base$feed_path" [nginx]="$nginx_url" [bare]="$bare_url")
  declare -A etag_at=([planner]="$(etag_of "$base$feed_path")" [nginx]="$(etag_of "$nginx_url")" [bare]="$(etag_of "$bare_url")")
  # Rotate who goes first, so a drift in the machine's load does not favour one side.
  case $((round % 3)) in 1) order=(planner nginx bare) ;; 2) order=(nginx bare planner) ;; *) order=(bare planner nginx) ;; esac
  if measures feeds; then
    for server in "${order[@]}"; do run feed-200 "$server" "$connections" "${url_of[$server]}"; done
    for server in "${order[@]}"; do run feed-304 "$server" "$connections" "${url_of[$server]}" -H "If-None-Match: ${etag_at[$server]}"; done
  fi
  measures itinerary && run itinerary planner "$connections" "$base/" -s "$here/itinerary.lua" -- "$state/perf-ids.lua" "$staff_key"
  measures adds || continue
  run attendee-add planner "$writers" "$base/" -s "$here/adds.lua" -- "$state/perf-ids.lua" "$add_offset" "$staff_key" "$threads"
  # Next round's pairs start after the highest one sent (the threads' counters differ, and requests still in flight
  # at the end are not in wrk's count), so no pair is ever reused.
  add_file="$state/wrk-r$round-attendee-add-planner.txt"
  last_pair=$(sed -n 's/^lua: last_pair=\(-\{0,1\}[0-9]*\)$/\1/p' "$add_file")
  [[ "$last_pair" =~ ^-?[0-9]+$ ]] || fail "adds.lua reported no last pair; see $add_file"
  add_offset=$((last_pair + 1))
done
# A GET after the last round's adds, too.
first_get_ms+=("$(curl -fs -o /dev/null -w '%{time_total}' "$base$feed_path" | awk '{printf "%.1f", $1 * 1000}')")

rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$planner_pid/status")
added=$(sql "SELECT count(*) FROM attendees a JOIN engagements e ON e.id = a.engagement_id WHERE e.programme_id = '$programme_id' AND a.role = 'optional' AND a.response = 'needs-action'")

# --- summary --------------------------------------------------------------------------------------------------------
# Throughput ratio: mean planner req/s over mean nginx req/s (same rounds); CPU: total ticks over total requests.
summary=$(awk -F'\t' '
  NR > 1 {
    k = $2 "|" $3; rps[k] += $5; n[k]++; req[k] += $4; cpu[k] += $8 * $4; own[k] += $9 * $4; err[k] += $10
    if ($7 > p99[k]) p99[k] = $7
    if ($11 > max[k]) max[k] = $11
  }
  END {
    for (k in rps) printf "%s\t%.1f\t%.4f\t%.4f\t%.3f\t%d\t%.3f\n", k, rps[k] / n[k], cpu[k] / req[k], own[k] / req[k], p99[k], err[k], max[k]
  }' "$results" | sort)
echo
echo "load test: $rounds rounds x ${seconds}s per run, wrk -t$threads, $connections connections for feeds and itineraries, $writers writers; $(nproc) cores"
echo "name|server  mean-req/s  cpu-ms/req(with PostgreSQL)  cpu-ms/req(process only)  worst-round-p99-ms  errors  max-ms"
echo "$summary" | tr '\t' ' '
get() { awk -v k="$1" -v c="$2" -F'\t' '$1 == k {print $c}' <<<"$summary"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "feed p99 planner/nginx = $(ratio "$(get 'feed-200|planner' 5)" "$(get 'feed-200|nginx' 5)") (200s), $(ratio "$(get 'feed-304|planner' 5)" "$(get 'feed-304|nginx' 5)") (304s)"
echo "feed-304 cpu/nginx = $(ratio "$(get 'feed-304|planner' 3)" "$(get 'feed-304|nginx' 3)")"
echo "feed-200 cpu (planner process only)/nginx = $(ratio "$(get 'feed-200|planner' 4)" "$(get 'feed-200|nginx' 4)")"
echo "first GET after a change, ms (curl time_total, per round) = ${first_get_ms[*]}"
echo "first GET after one change on a settled planner, ms (per round) = ${one_change_ms[*]}"
echo "import of the generated programme through HTTP = ${import_seconds}s; attendees added = $added; planner RSS = $((rss_kib / 1024)) MiB"
echo "itinerary GET: $(get 'itinerary|planner' 2) req/s, p99 $(get 'itinerary|planner' 5) ms"
echo "attendee adds: $(get 'attendee-add|planner' 2) req/s, errors (non-2xx) $(get 'attendee-add|planner' 6)"
echo "results: $results"
# Response statuses of the adds, all rounds (adds.lua's tally; "exhausted" would be pairs past the free slots, reused).
add_statuses=$({ cat "$state"/wrk-r*-attendee-add-planner.txt 2>/dev/null || true; } | awk '
  /^lua: statuses / {
    for (i = 3; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] ~ /^[0-9]+$/) { n[kv[1]] += kv[2]; total += kv[2]; if (kv[1] + 0 < 200 || kv[1] + 0 > 299) bad += kv[2] }
      else if (kv[1] == "exhausted") exhausted += kv[2]
    }
  }
  END {
    list = ""; for (c in n) list = list " " c "=" n[c]
    printf "%d of %d (statuses:%s; pairs past the free slots: %d)", bad, total, list, exhausted
  }')
echo "first GET after one change max ms = $(printf '%s\n' "${one_change_ms[@]}" | sort -n | tail -1)"
echo "attendee-add non-2xx = $add_statuses"
echo "feed-200/bare = $(ratio "$(get 'feed-200|planner' 2)" "$(get 'feed-200|bare' 2)")"
echo "feed-304/bare = $(ratio "$(get 'feed-304|planner' 2)" "$(get 'feed-304|bare' 2)")"
echo "feed-200 cpu/bare = $(ratio "$(get 'feed-200|planner' 3)" "$(get 'feed-200|bare' 3)")"
echo "feed-304 cpu/bare = $(ratio "$(get 'feed-304|planner' 3)" "$(get 'feed-304|bare' 3)")"
echo "feed-200/nginx = $(ratio "$(get 'feed-200|planner' 2)" "$(get 'feed-200|nginx' 2)")"
echo "feed-304/nginx = $(ratio "$(get 'feed-304|planner' 2)" "$(get 'feed-304|nginx' 2)")"
echo "feed-200 cpu/nginx = $(ratio "$(get 'feed-200|planner' 3)" "$(get 'feed-200|nginx' 3)")"
echo "attendee-add p99 ms = $(get 'attendee-add|planner' 5)"
echo "attendee-add max ms = $(get 'attendee-add|planner' 7)"
echo "itinerary req/s = $(get 'itinerary|planner' 2)"
echo "itinerary cpu ms = $(get 'itinerary|planner' 3)"
echo "first GET after a change max ms = $(printf '%s\n' "${first_get_ms[@]}" | sort -n | tail -1)"
