#!/usr/bin/env bash
# Several silos of the built planner on this machine, one Orleans cluster on a private PostgreSQL: the
# local stand-in for a multi-machine deployment, and what the fault tests (tests/CommissionPlanner.FaultTests) run.
#
#   deploy/local/cluster.sh start N     build, start PostgreSQL, apply migrations once, start N silos; prints each URL
#   deploy/local/cluster.sh stop        stop every silo gracefully (SIGTERM, then wait), then PostgreSQL
#   deploy/local/cluster.sh status      list the silos with their pid, URL and whether they answer
#   deploy/local/cluster.sh kill I      SIGKILL silo I (1-based), as a machine dying would: for fault drills
#   deploy/local/cluster.sh restart I   start silo I again on its ports, without waiting for it to be ready
#   deploy/local/cluster.sh wipe        stop everything and delete the cluster's data and logs
#
# Silo I listens on HTTP port HTTP_BASE+I, silo port SILO_BASE+I and gateway port GATEWAY_BASE+I (or the next
# free ones). Logs, pids and the admin key live in the git-ignored .data/NAME/ folder. The silos run as in
# production (ASPNETCORE_ENVIRONMENT=Production, no migrations at start: this script runs --migrate-only first).
#
# Settings (environment):
#   PLANNER_CLUSTER_NAME        data folder and PostgreSQL cluster name (default "cluster")
#   PLANNER_CLUSTER_HTTP_PORT   HTTP base port (default 5180: silo 1 on 5181 ...)
#   PLANNER_CLUSTER_SILO_PORT   silo-to-silo base port (default 11210)
#   PLANNER_CLUSTER_GATEWAY_PORT gateway base port (default 30010)
#   PLANNER_CLUSTER_PG_PORT     preferred PostgreSQL port (default 55632)
#   PLANNER_CLUSTER_BUILD       0 to skip the build and use PLANNER_CLUSTER_OUT as it is (default 1)
#   PLANNER_CLUSTER_OUT         the folder holding CommissionPlanner.Web.dll (default: the Release build output)
#   PLANNER_CLUSTER_STOP_WAIT   seconds to wait for a silo to stop after SIGTERM before SIGKILL (default 60)
#   Planner__BootstrapAdminKey  the admin key (generated and kept in .data/NAME/admin-key when unset)
# Any other Planner__* / Orleans__* variable is passed on to every silo unchanged.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pg="$repo_root/deploy/local/postgres.sh"
name=${PLANNER_CLUSTER_NAME:-cluster}
state="$repo_root/.data/$name"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "cluster.sh: $*" >&2; exit 1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

[[ "$name" =~ ^[a-z0-9-]+$ ]] || fail "PLANNER_CLUSTER_NAME must be lower-case letters, digits and hyphens."

# Ports handed out in this run, so two silos never get the same one.
taken=" "
next_port() {
  local p=$1
  while port_in_use "$p" || [[ "$taken" == *" $p "* ]]; do p=$((p + 1)); done
  taken+="$p "
  echo "$p"
}

# Is this pid one of our silos (and not a recycled pid)?
is_silo() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'CommissionPlanner.Web.dll'
}

silo_pids() {
  local f
  for f in "$state"/silo-*.pid; do [[ -f "$f" ]] && echo "$f"; done
  return 0
}

stop_silos() {
  local f pid waited deadline=${PLANNER_CLUSTER_STOP_WAIT:-60}
  local -a running=()
  for f in $(silo_pids); do
    pid=$(cat "$f")
    if is_silo "$pid"; then kill -TERM "$pid" 2>/dev/null || true; running+=("$pid"); fi
  done
  for pid in "${running[@]}"; do
    waited=0
    while is_silo "$pid" && (( waited < deadline * 10 )); do sleep 0.1; waited=$((waited + 1)); done
    if is_silo "$pid"; then
      echo "cluster.sh: silo pid $pid did not stop within ${deadline}s; killing it." >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$state"/silo-*.pid
}

# What every silo of this cluster runs with: the database, the admin key, production settings.
silo_environment() {
  local pg_port=$1
  if [[ -z "${Planner__BootstrapAdminKey:-}" ]]; then
    if [[ ! -s "$state/admin-key" ]]; then
      (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$state/admin-key")
    fi
    Planner__BootstrapAdminKey=$(cat "$state/admin-key")
  fi
  export Planner__BootstrapAdminKey
  export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
  export ConnectionStrings__Planner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=planner"
  export Orleans__ClusterId=${Orleans__ClusterId:-$name}
  export Orleans__ServiceId=${Orleans__ServiceId:-commission-planner}
  export Planner__Operations__ShutdownTimeoutSeconds=${Planner__Operations__ShutdownTimeoutSeconds:-30}
}

build_output() {
  local out=${PLANNER_CLUSTER_OUT:-$repo_root/src/CommissionPlanner.Web/bin/Release/net10.0}
  [[ -f "$out/CommissionPlanner.Web.dll" ]] || fail "no build in $out: run 'dotnet build src/CommissionPlanner.Web -c Release' or set PLANNER_CLUSTER_OUT."
  echo "$out"
}

# Starts silo I (in the background) on the given ports; records its pid, URL and ports.
launch_silo() {
  local i=$1 http=$2 silo=$3 gateway=$4 out=$5
  # A subshell that is not a process-group leader: setsid execs in place, so $! is the silo's own pid, and
  # the silo has a session of its own (a Ctrl-C in this terminal later does not reach it).
  (
    cd "$out"
    export ASPNETCORE_URLS="http://127.0.0.1:$http"
    export Orleans__SiloPort=$silo Orleans__GatewayPort=$gateway
    export Planner__Operations__AdvertisedHttpUrl="http://127.0.0.1:$http"
    exec setsid dotnet CommissionPlanner.Web.dll </dev/null >>"$state/silo-$i.log" 2>&1
  ) &
  launched=$!
  echo "$launched" > "$state/silo-$i.pid"
  echo "http://127.0.0.1:$http" > "$state/silo-$i.url"
  echo "$http $silo $gateway" > "$state/silo-$i.ports"
}

# Starts silo I again on its ports after it stopped or was killed, without waiting for it: with PostgreSQL down it
# waits for the database (Planner:Operations:DatabaseWaitSeconds), which is what the fault tests look at.
restart() {
  local i=$1
  [[ "$i" =~ ^[0-9]+$ && -f "$state/silo-$i.ports" ]] || fail "usage: cluster.sh restart I (a silo this cluster started before)."
  is_silo "$(cat "$state/silo-$i.pid" 2>/dev/null || true)" && fail "silo $i is still running."
  local out ports
  out=$(build_output)
  read -r -a ports < "$state/silo-$i.ports"
  silo_environment "$(cat "$state/pg-port")"
  launch_silo "$i" "${ports[0]}" "${ports[1]}" "${ports[2]}" "$out"
  echo "silo $i http://127.0.0.1:${ports[0]} pid $launched"
}

start() {
  local count=$1
  [[ "$count" =~ ^[0-9]+$ ]] && (( count >= 1 && count <= 16 )) || fail "usage: cluster.sh start N (1 to 16 silos)."
  command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is required: https://dot.net"
  command -v curl >/dev/null 2>&1 || fail "curl is required (apt-get install curl)."
  mkdir -p "$state"
  local f
  for f in $(silo_pids); do
    is_silo "$(cat "$f")" && fail "silos of cluster '$name' are already running (deploy/local/cluster.sh status); stop them first: deploy/local/cluster.sh stop"
  done
  rm -f "$state"/silo-*.pid "$state"/silo-*.url "$state"/silo-*.ports

  local out=${PLANNER_CLUSTER_OUT:-$repo_root/src/CommissionPlanner.Web/bin/Release/net10.0}
  if [[ "${PLANNER_CLUSTER_BUILD:-1}" != 0 ]]; then
    echo "Building the planner..." >&2
    dotnet build "$repo_root/src/CommissionPlanner.Web" -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null \
      || { dotnet build "$repo_root/src/CommissionPlanner.Web" -c Release -nologo -clp:ErrorsOnly >&2; fail "the build failed (errors above)."; }
  fi
  [[ -f "$out/CommissionPlanner.Web.dll" ]] || fail "no build in $out: run 'dotnet build src/CommissionPlanner.Web -c Release' or set PLANNER_CLUSTER_OUT."

  local pg_port
  pg_port=$("$pg" start "$name" "${PLANNER_CLUSTER_PG_PORT:-55632}")
  "$pg" createdb "$name" planner
  echo "$pg_port" > "$state/pg-port"

  silo_environment "$pg_port"

  # The deploy step, as in production: the schema first, once, then the silos (which do not migrate).
  (cd "$out" && dotnet CommissionPlanner.Web.dll --migrate-only) >"$state/migrate.log" 2>&1 \
    || fail "the migrations failed; see $state/migrate.log"

  local i http silo gateway pid
  local -a pids=() urls=()
  for ((i = 1; i <= count; i++)); do
    http=$(next_port $(( ${PLANNER_CLUSTER_HTTP_PORT:-5180} + i )))
    silo=$(next_port $(( ${PLANNER_CLUSTER_SILO_PORT:-11210} + i )))
    gateway=$(next_port $(( ${PLANNER_CLUSTER_GATEWAY_PORT:-30010} + i )))
    launch_silo "$i" "$http" "$silo" "$gateway" "$out"
    pid=$launched
    pids+=("$pid"); urls+=("http://127.0.0.1:$http")
  done

  local ready waited=0
  while :; do
    ready=0
    for ((i = 0; i < count; i++)); do
      is_silo "${pids[$i]}" || { stop_silos; fail "silo $((i + 1)) stopped during start-up; see $state/silo-$((i + 1)).log"; }
      curl -fs -o /dev/null "${urls[$i]}/health/ready" && ready=$((ready + 1))
    done
    (( ready == count )) && break
    (( waited < 180 )) || { stop_silos; fail "the silos did not all become ready within three minutes; see $state/silo-*.log"; }
    sleep 1; waited=$((waited + 1))
  done

  echo "Cluster '$name': $count silos on PostgreSQL 127.0.0.1:$pg_port (database planner), logs in $state/" >&2
  for ((i = 0; i < count; i++)); do
    echo "silo $((i + 1)) ${urls[$i]} pid ${pids[$i]}"
  done
  echo "admin key: $Planner__BootstrapAdminKey" >&2
  echo "status:    curl -H \"Authorization: Bearer \$(cat $state/admin-key)\" ${urls[0]}/api/admin/cluster" >&2
}

status() {
  local f i pid url state_text
  for f in $(silo_pids); do
    i=${f##*/silo-}; i=${i%.pid}
    pid=$(cat "$f"); url=$(cat "$state/silo-$i.url" 2>/dev/null || echo "?")
    if ! is_silo "$pid"; then state_text="stopped"
    elif curl -fs -o /dev/null "$url/health/ready"; then state_text="ready"
    else state_text="running, not ready"
    fi
    echo "silo $i $url pid $pid $state_text"
  done
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop_silos; "$pg" stop "$name" ;;
  status) status ;;
  kill)
    i=${2:-}; [[ "$i" =~ ^[0-9]+$ ]] || fail "usage: cluster.sh kill I"
    pid=$(cat "$state/silo-$i.pid" 2>/dev/null || true)
    is_silo "$pid" || fail "silo $i is not running."
    kill -KILL "$pid"; echo "silo $i (pid $pid) killed."
    ;;
  restart) restart "${2:-}" ;;
  wipe) stop_silos; "$pg" wipe "$name"; rm -rf "$state" ;;
  *) fail "usage: cluster.sh start N | stop | status | kill I | restart I | wipe" ;;
esac
