#!/usr/bin/env bash
# Runs the planner in the foreground on http://127.0.0.1:$PLANNER_PORT (default 5080) with a private
# PostgreSQL whose data stays in the repo's git-ignored .data/run folder between runs. On the first
# run it loads the sample programme (samples/jcm-2025.json). Ctrl-C or SIGTERM stops both.
#
# Settings (environment): PLANNER_PORT, Planner__BootstrapAdminKey (generated and kept in the data
# folder when unset), PLANNER_PG_PORT (preferred PostgreSQL port, default 55432).
#
# Mail: unless Planner__Mail__SmtpHost is set, it also runs smtp4dev (a local mail server with a web
# page, the Rnwood.Smtp4dev .NET tool, installed from NuGet into .data/tools the first time) and points
# the planner at it, so the e-mails the sample's changes send can be read there. Changes are batched for
# Planner__Mail__BatchSeconds (30 here, 300 by default) before they go out.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"
pg="$repo_root/deploy/local/postgres.sh"
port=${PLANNER_PORT:-5080}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "run.sh: $*" >&2; exit 1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port_from() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }

command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK (dotnet) is required: install it from https://dot.net and run this again."
command -v curl >/dev/null 2>&1 || fail "curl is required (apt-get install curl)."
[[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || fail "PLANNER_PORT must be a port number, not '$port'."
port_in_use "$port" && fail "port $port is already in use. Stop what uses it, or choose another: PLANNER_PORT=5081 deploy/local/run.sh"

host_pid=""
mail_pid=""
stop_all() {
  trap - INT TERM EXIT
  if [[ -n "$mail_pid" ]] && kill -0 "$mail_pid" 2>/dev/null; then
    kill -TERM "$mail_pid" 2>/dev/null || true
    wait "$mail_pid" 2>/dev/null || true
  fi
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    echo; echo "Stopping the planner..."
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  "$pg" stop run >/dev/null 2>&1 || true
  echo "Stopped. Data is kept in $("$pg" dir run)."
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_port=$("$pg" start run "${PLANNER_PG_PORT:-55432}")
"$pg" createdb run planner
data_dir=$("$pg" dir run)

key_file="$data_dir/admin-key"
if [[ -z "${Planner__BootstrapAdminKey:-}" ]]; then
  if [[ ! -s "$key_file" ]]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$key_file")
  fi
  Planner__BootstrapAdminKey=$(cat "$key_file")
fi
export Planner__BootstrapAdminKey

echo "Building the planner..."
dotnet build src/CommissionPlanner.Web -c Release -nologo -clp:ErrorsOnly -v:quiet >/dev/null || \
  { dotnet build src/CommissionPlanner.Web -c Release -nologo -clp:ErrorsOnly; fail "the build failed (errors above)."; }
out="$repo_root/src/CommissionPlanner.Web/bin/Release/net10.0"

mail_web=""
if [[ -z "${Planner__Mail__SmtpHost:-}" ]]; then
  tools="$repo_root/.data/tools"
  if [[ ! -x "$tools/smtp4dev" ]]; then
    echo "Installing smtp4dev 3.15.0 (a local mail server) into .data/tools..."
    dotnet tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path "$tools" >/dev/null || \
      fail "installing smtp4dev failed; set Planner__Mail__SmtpHost to use another mail server."
  fi
  smtp_port=$(free_port_from 2525)
  mail_web_port=$(free_port_from 5090)
  mail_web="http://127.0.0.1:$mail_web_port"
  # In memory (--db=): the mails of this run only. Loopback only; no IMAP or POP3.
  "$tools/smtp4dev" --urls="$mail_web" --smtpport="$smtp_port" --bindaddress=127.0.0.1 --db= --imapport=0 --pop3port=0 \
    --nousersettings --baseappdatapath="$data_dir/smtp4dev" >"$data_dir/smtp4dev.log" 2>&1 &
  mail_pid=$!
  for _ in $(seq 1 60); do
    if curl -fs "$mail_web/api/messages" >/dev/null 2>&1; then break; fi
    kill -0 "$mail_pid" 2>/dev/null || fail "smtp4dev stopped during start-up (see $data_dir/smtp4dev.log)."
    sleep 1
  done
  export Planner__Mail__SmtpHost=127.0.0.1 Planner__Mail__SmtpPort="$smtp_port"
  export Planner__Mail__BatchSeconds=${Planner__Mail__BatchSeconds:-30}
fi
export Planner__Mail__From=${Planner__Mail__From:-planner@commission-planner.localhost}
export Planner__PublicBaseUrl=${Planner__PublicBaseUrl:-http://127.0.0.1:$port}

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export ASPNETCORE_URLS="http://127.0.0.1:$port"
export ConnectionStrings__Planner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=planner"
export Orleans__SiloPort=${Orleans__SiloPort:-$(free_port_from 11111)}
export Orleans__ClusterId=${Orleans__ClusterId:-commission-planner-local}

(cd "$out" && exec dotnet CommissionPlanner.Web.dll) &
host_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  if curl -fs "$base/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$host_pid" 2>/dev/null || { wait "$host_pid" || true; host_pid=""; fail "the planner stopped during start-up (see the messages above)."; }
  sleep 1
done
curl -fs "$base/health/ready" >/dev/null 2>&1 || fail "the planner did not become ready within two minutes."

marker="$data_dir/sample-loaded"
if [[ ! -f "$marker" ]]; then
  status=$(curl -s -o "$data_dir/sample-import.json" -w '%{http_code}' -X POST "$base/api/programmes/import" \
    -H "Authorization: Bearer $Planner__BootstrapAdminKey" -H 'Content-Type: application/json' \
    --data-binary @"$repo_root/samples/jcm-2025.json")
  case "$status" in
    200|201) touch "$marker"; echo "Loaded the sample programme (samples/jcm-2025.json)." ;;
    *) echo "run.sh: loading the sample programme failed (HTTP $status); see $data_dir/sample-import.json" >&2 ;;
  esac
fi

cat <<INFO

CommissionPlanner is running at $base
  admin key:    $Planner__BootstrapAdminKey
  try:          curl -H "Authorization: Bearer $Planner__BootstrapAdminKey" $base/api/programmes
  OpenAPI:      $base/openapi/v1.json
  PostgreSQL:   127.0.0.1:$pg_port (database planner, data in $data_dir)
INFO
if [[ -n "$mail_web" ]]; then
  echo "  mail:         $mail_web (smtp4dev: the e-mails the planner sends, after a ${Planner__Mail__BatchSeconds}s batch window)"
else
  echo "  mail:         through $Planner__Mail__SmtpHost:${Planner__Mail__SmtpPort:-25}"
fi
echo "Press Ctrl-C to stop."

wait "$host_pid"
