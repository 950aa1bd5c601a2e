#!/usr/bin/env bash
# Fault drill (issue 21, docs/operations.md "Fault drill"): three silos (deploy/local/cluster.sh) behind nginx, on
# 127.0.0.1 only. For DRILL_SECONDS, writers add attendees (each add with its own Idempotency-Key, sent again with it
# after no answer, a 5xx or "still being handled") and calendar clients poll feeds (half with If-None-Match), all
# through nginx; meanwhile one silo is SIGKILLed every DRILL_KILL_EVERY seconds and started again at once, and
# PostgreSQL is SIGKILLed once, half-way, and started again 5 s later. Afterwards the drill client
# (tests/CommissionPlanner.Benchmarks, "drill") checks through the API and SQL that no acknowledged write was lost,
# none was applied twice and nobody is double-booked, and prints name = value lines; this script adds the time each
# restarted silo took to be ready, and a verdict against the issue's targets. Exit code 1 when a target is missed.
#
#   deploy/perf/fault-drill.sh
#
# Settings (environment): DRILL_SECONDS (300), DRILL_KILL_EVERY (45), DRILL_WRITERS (8), DRILL_POLLERS (8),
# DRILL_HTTP_PORT (silos from 5481), DRILL_NGINX_PORT (5490), DRILL_PG_PORT (55832), DRILL_BUILD (0 to skip the builds).
# Everything it starts is stopped on exit; logs stay in .data/drill/ and .data/fault-drill/.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state="$repo_root/.data/fault-drill"
seconds=${DRILL_SECONDS:-300}
kill_every=${DRILL_KILL_EVERY:-45}
writers=${DRILL_WRITERS:-8}
pollers=${DRILL_POLLERS:-8}
cluster="$repo_root/deploy/local/cluster.sh"
pg="$repo_root/deploy/local/postgres.sh"
drill_client="$repo_root/tests/CommissionPlanner.Benchmarks/bin/Release/net10.0/CommissionPlanner.Benchmarks.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "fault-drill.sh: $*" >&2; exit 1; }
log() { echo "fault-drill.sh: $(date +%T) $*" >&2; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port_from() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }

for v in "$seconds" "$kill_every" "$writers" "$pollers"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || fail "DRILL_SECONDS, DRILL_KILL_EVERY, DRILL_WRITERS and DRILL_POLLERS must be positive whole numbers."
done
(( seconds <= 1800 )) || fail "keep it bounded: DRILL_SECONDS at most 1800."
(( kill_every >= 20 )) || fail "DRILL_KILL_EVERY must be at least 20 s: a silo needs time to be declared dead and to restart."
nginx_bin=$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)
[[ -n "$nginx_bin" ]] || fail "nginx is required (apt-get install nginx; deploy/perf/load-test.sh installs it)."

# The cluster: its own name, ports and PostgreSQL; rate limits off (every request comes from nginx's address with one
# key); the silos' other settings as in production.
export PLANNER_CLUSTER_NAME=drill
export PLANNER_CLUSTER_HTTP_PORT=${DRILL_HTTP_PORT:-5480} PLANNER_CLUSTER_SILO_PORT=11510 PLANNER_CLUSTER_GATEWAY_PORT=30310
export PLANNER_CLUSTER_PG_PORT=${DRILL_PG_PORT:-55832} PLANNER_CLUSTER_BUILD=0
export Planner__RateLimits__Enabled=false Logging__LogLevel__Default=Warning

nginx_pid="" client_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -n "$client_pid" ]] && kill "$client_pid" 2>/dev/null || true
  if [[ -n "$nginx_pid" ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
  PLANNER_CLUSTER_STOP_WAIT=20 "$cluster" stop >/dev/null 2>&1 || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$state"; mkdir -p "$state/nginx/tmp"
if [[ "${DRILL_BUILD:-1}" != 0 ]]; then
  log "building the planner and the drill client (Release)..."
  dotnet build "$repo_root/src/CommissionPlanner.Web" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null || fail "the planner did not build."
  dotnet build "$repo_root/tests/CommissionPlanner.Benchmarks" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null || fail "the drill client did not build."
fi

"$cluster" wipe >/dev/null 2>&1 || true
"$cluster" start 3 > "$state/silos.txt" 2>"$state/cluster-start.log" || { cat "$state/cluster-start.log" >&2; fail "the cluster did not start."; }
key=$(cat "$repo_root/.data/drill/admin-key")
pg_port=$(cat "$repo_root/.data/drill/pg-port")
mapfile -t urls < <(awk '{ print $3 }' "$state/silos.txt")
(( ${#urls[@]} == 3 )) || fail "expected three silos, got: $(cat "$state/silos.txt")"
log "3 silos: ${urls[*]}; PostgreSQL on $pg_port"

# nginx as in deploy/compose/nginx.conf: round robin, a failed silo skipped for a while, feed GETs retried on another
# silo after an error or a 503; POSTs never retried by nginx (the client does, with its key).
nginx_port=$(free_port_from "${DRILL_NGINX_PORT:-5490}")
cat > "$state/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
$( [[ $(id -u) -eq 0 ]] && echo "user root;" )
pid $state/nginx/nginx.pid;
error_log $state/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $state/nginx/tmp/body;
  proxy_temp_path $state/nginx/tmp/proxy;
  fastcgi_temp_path $state/nginx/tmp/fastcgi;
  uwsgi_temp_path $state/nginx/tmp/uwsgi;
  scgi_temp_path $state/nginx/tmp/scgi;
  upstream planner {
$(for u in "${urls[@]}"; do echo "    server ${u#http://} max_fails=1 fail_timeout=3s;"; done)
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    client_max_body_size 20m;
    location ~ ^/(feeds|reply)/ {
      proxy_pass http://planner;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
    }
    location / {
      proxy_pass http://planner;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout http_502;
    }
  }
}
NGINX
"$nginx_bin" -c "$state/nginx/nginx.conf" -p "$state/nginx" >"$state/nginx/stdout.log" 2>&1 &
nginx_pid=$!
for _ in $(seq 1 50); do port_in_use "$nginx_port" && break; sleep 0.1; done
port_in_use "$nginx_port" || fail "nginx did not start; see $state/nginx/error.log"

log "seeding and starting $writers writers and $pollers feed pollers for ${seconds}s through nginx on $nginx_port..."
dotnet "$drill_client" drill --base "http://127.0.0.1:$nginx_port" --key "$key" \
  --connection "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=planner" \
  --seconds "$seconds" --writers "$writers" --pollers "$pollers" \
  --ready-file "$state/seeded" --done-file "$state/done" >"$state/results.txt" 2>"$state/client.log" &
client_pid=$!
while [[ ! -f "$state/seeded" ]]; do
  kill -0 "$client_pid" 2>/dev/null || { cat "$state/client.log" >&2; fail "the drill client stopped while seeding."; }
  sleep 0.5
done

# ready_after SILO_URL: seconds (one decimal) until the silo answers /health/ready, up to 180 s.
ready_after() {
  local url=$1 started
  started=$(date +%s.%N)
  for _ in $(seq 1 1800); do
    curl -fs -o /dev/null --max-time 2 "$url/health/ready" && { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; return 0; }
    sleep 0.1
  done
  echo "never"
}

traffic_started=$(date +%s)
next_kill=$((traffic_started + kill_every))
pg_kill_at=$((traffic_started + seconds / 2 + kill_every / 2))
pg_killed=0 kills=0 silo=0
declare -a restarts=()
while [[ ! -f "$state/done" ]] && kill -0 "$client_pid" 2>/dev/null; do
  now=$(date +%s)
  if (( pg_killed == 0 && now >= pg_kill_at && now < traffic_started + seconds - 10 )); then
    postmaster=$(head -1 "$("$pg" dir drill)/pgdata/postmaster.pid")
    log "SIGKILL PostgreSQL (postmaster $postmaster and its processes)"
    pkill -KILL -P "$postmaster" 2>/dev/null || true
    kill -KILL "$postmaster" 2>/dev/null || true
    sleep 5
    "$pg" start drill "$pg_port" >/dev/null || fail "PostgreSQL did not start again."
    pg_killed=1
    for u in "${urls[@]}"; do restarts+=("after the PostgreSQL restart, $u: $(ready_after "$u") s"); done
    log "PostgreSQL is back; ${restarts[-1]}"
  elif (( now >= next_kill && now < traffic_started + seconds - 15 )); then
    silo=$((silo % 3 + 1)); kills=$((kills + 1))
    log "SIGKILL silo $silo"
    "$cluster" kill "$silo" >/dev/null
    "$cluster" restart "$silo" >/dev/null
    took=$(ready_after "${urls[$((silo - 1))]}")
    restarts+=("silo $silo restarted: $took s")
    log "silo $silo ready again after $took s"
    next_kill=$((now + kill_every))
  fi
  sleep 0.5
done
wait "$client_pid" || { cat "$state/client.log" >&2; fail "the drill client failed."; }
client_pid=""

cat "$state/results.txt"
echo "silo kills = $kills"
echo "postgresql kills = $pg_killed"
i=0
for r in "${restarts[@]}"; do i=$((i + 1)); echo "time to ready $i = $r"; done

value() { sed -n "s/^$1 = //p" "$state/results.txt"; }
verdict=passed
awk -v r="$(value 'feed success ratio')" 'BEGIN { exit !(r >= 0.999) }' || { verdict=failed; log "feed success ratio under 0.999"; }
for measure in "acknowledged writes lost" "duplicates" "double bookings" "ambiguous writes" "refused writes stored"; do
  [[ "$(value "$measure")" == 0 ]] || { verdict=failed; log "$measure: $(value "$measure")"; }
done
[[ "$kills" -ge 1 && "$pg_killed" == 1 ]] || { verdict=failed; log "the drill did not kill a silo and PostgreSQL (run longer)"; }
echo "drill = $verdict"
[[ "$verdict" == passed ]]
