#!/usr/bin/env bash
# A private PostgreSQL cluster for this checkout, built from the machine's own server binaries.
#
#   deploy/local/postgres.sh start NAME [PREFERRED_PORT]   start (initialising on first use); prints the port
#   deploy/local/postgres.sh stop NAME                      stop cleanly (fast shutdown)
#   deploy/local/postgres.sh wipe NAME                      stop and delete the cluster's data
#   deploy/local/postgres.sh dir NAME                       print where the cluster lives
#   deploy/local/postgres.sh createdb NAME DATABASE         create a database unless it exists
#
# Each NAME is a separate cluster (run.sh uses "run", test.sh uses "test") in a git-ignored
# folder of the repo (.data/NAME). PostgreSQL refuses to run as root, so when this script runs
# as root the server runs as an unprivileged user (postgres, or nobody's-style fallback). When
# that user cannot reach the repo (say, it lies under a home folder others cannot enter), the
# cluster lives in a per-repo folder under /var/tmp instead.
# It listens only on 127.0.0.1 and trusts local connections: a developer's private server, never
# a production one (deploy/ has those).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

fail() { echo "postgres.sh: $*" >&2; exit 1; }

find_pg_bin() {
  local candidate
  if [[ -n "${PG_BIN:-}" && -x "$PG_BIN/initdb" ]]; then echo "$PG_BIN"; return 0; fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then echo "$candidate"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

ensure_pg_bin() {
  if PG_BIN=$(find_pg_bin); then return 0; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "postgres.sh: PostgreSQL server binaries not found; installing Debian's postgresql package..." >&2
    # The Debian package would start a system-wide cluster; we never use it, so keep it from starting.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null; } \
      || { rm -f /usr/sbin/policy-rc.d; fail "could not install PostgreSQL with apt-get. Install the 'postgresql' package (server binaries under /usr/lib/postgresql/*/bin) or set PG_BIN to a folder holding initdb and pg_ctl."; }
    rm -f /usr/sbin/policy-rc.d
    PG_BIN=$(find_pg_bin) || fail "PostgreSQL was installed but initdb was not found under /usr/lib/postgresql/*/bin; set PG_BIN."
    return 0
  fi
  fail "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install Debian's 'postgresql' package (sudo apt-get install postgresql), or set PG_BIN to a folder holding them."
}

# The user the server runs as: ourselves, or an unprivileged account when we are root.
server_user() {
  if [[ $(id -u) -ne 0 ]]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  if ! id commission-planner-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin commission-planner-pg >/dev/null 2>&1 \
      || fail "running as root, but there is no unprivileged 'postgres' user and one could not be created."
  fi
  echo commission-planner-pg
}

as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$SERVER_USER" -- "$@"; else "$@"; fi
}

cluster_dir() {
  local name=$1 in_repo="$repo_root/.data/$name"
  if [[ $(id -u) -ne 0 ]]; then echo "$in_repo"; return; fi
  mkdir -p "$repo_root/.data"
  # Can the unprivileged user walk down to the repo's .data folder?
  if runuser -u "$SERVER_USER" -- test -x "$repo_root/.data" 2>/dev/null || { chmod o+x "$repo_root/.data" 2>/dev/null && runuser -u "$SERVER_USER" -- test -x "$repo_root/.data" 2>/dev/null; }; then
    echo "$in_repo"
  else
    local hash
    hash=$(printf '%s' "$repo_root" | sha256sum | cut -c1-12)
    echo "/var/tmp/commission-planner-$hash/$name"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local port=$1 tries=0
  while port_in_use "$port"; do
    port=$((port + 1)); tries=$((tries + 1))
    [[ $tries -lt 200 ]] || fail "no free port found from $1 upwards."
  done
  echo "$port"
}

cmd=${1:-}; name=${2:-}
[[ -n "$cmd" && -n "$name" ]] || fail "usage: postgres.sh start|stop|wipe|dir NAME [PREFERRED_PORT]"
[[ "$name" =~ ^[a-z0-9-]+$ ]] || fail "cluster name must be lower-case letters, digits and hyphens."

SERVER_USER=$(server_user)
dir=$(cluster_dir "$name")
data="$dir/pgdata"

case "$cmd" in
  dir) echo "$dir" ;;
  start)
    ensure_pg_bin
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown "$SERVER_USER" "$dir"
    if [[ ! -f "$data/PG_VERSION" ]]; then
      rm -rf "$data"
      as_server_user "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || as_server_user "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || fail "initdb failed; see $dir/initdb.log"
    fi
    if as_server_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      cat "$dir/port"; exit 0
    fi
    # A free-looking port can still be taken between the check and the bind (the preferred ports lie in
    # Linux's ephemeral range, where any outgoing connection may hold one), so a bind failure moves on to
    # the next port; any other failure stops here with the server's own words.
    port=$(pick_port "${3:-55432}")
    for attempt in 1 2 3 4 5; do
      echo "$port" > "$dir/port"
      log_start=$(stat -c %s "$dir/server.log" 2>/dev/null || echo 0)
      # Short socket path: unix socket paths are limited to about 100 characters.
      if as_server_user "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=200 -c fsync=${PG_FSYNC:-on}" start >/dev/null; then
        break
      fi
      new_log=$(tail -c +"$((log_start + 1))" "$dir/server.log" 2>/dev/null || true)
      if [[ $attempt -lt 5 ]] && grep -qiE 'could not bind|address already in use' <<<"$new_log"; then
        echo "postgres.sh: port $port was taken as PostgreSQL started; trying the next free one." >&2
        port=$(pick_port "$((port + 1))")
        continue
      fi
      printf '%s\n' "$new_log" | tail -n 20 >&2
      fail "PostgreSQL did not start on port $port; see $dir/server.log"
    done
    echo "$port"
    ;;
  stop)
    ensure_pg_bin
    if [[ -f "$data/PG_VERSION" ]] && as_server_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_server_user "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
  createdb)
    ensure_pg_bin
    db=${3:?database name}
    port=$(cat "$dir/port")
    exists=$("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")
    [[ "$exists" == 1 ]] || "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$db\"" >/dev/null
    ;;
  wipe)
    "$0" stop "$name"
    rm -rf "$dir"
    ;;
  *) fail "unknown command '$cmd'" ;;
esac
