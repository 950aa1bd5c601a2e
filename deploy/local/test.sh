#!/usr/bin/env bash
# Runs every test project against a private PostgreSQL cluster of its own ("test": separate port
# and data folder from the one run.sh uses), then prints the totals as the last line:
#   N passed, N failed, N skipped
# Exits non-zero when anything failed or did not build. PostgreSQL is stopped afterwards, even on failure.
set -uo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo_root"
pg="$repo_root/deploy/local/postgres.sh"
results="$repo_root/.data/test-results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null 2>&1 || { echo "test.sh: the .NET 10 SDK (dotnet) is required: https://dot.net" >&2; echo "0 passed, 1 failed"; exit 1; }

# --- web interface end-to-end tests (issue 7): Debian's Chromium and a CJK font --------------------------------
# Playwright drives /usr/bin/chromium by path and never downloads a browser. Installed here when missing and root;
# otherwise the UI end-to-end test is skipped (it says why) and everything else runs.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -x /usr/bin/chromium ]] || ! fc-list 2>/dev/null | grep -qi "wqy"; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing chromium and fonts-wqy-microhei for the web interface tests"
    { apt-get install -y -q chromium fonts-wqy-microhei || { apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei; }; } >/dev/null 2>&1 \
      || echo "test.sh: could not install chromium/fonts-wqy-microhei; the browser test will be skipped." >&2
  else
    echo "test.sh: /usr/bin/chromium or a CJK font is missing; install them (sudo apt-get install chromium fonts-wqy-microhei) or the browser test is skipped." >&2
  fi
fi
# --- end of web interface block -------------------------------------------------------------------------------

# --- feed tests (issue 15): Debian's python3-icalendar, a second iCalendar parser beside ical.js ------------------
# tests/Shared/python_icalendar.py runs under Debian's /usr/bin/python3. Installed here when missing and root; otherwise
# the feed tests that use it fail with the command to run.
if ! /usr/bin/python3 -c "import icalendar" >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing python3-icalendar for the feed tests"
    { apt-get install -y -q python3-icalendar || { apt-get update -q && apt-get install -y -q python3-icalendar; }; } >/dev/null 2>&1 \
      || echo "test.sh: could not install python3-icalendar; the feed tests that parse with it will fail." >&2
  else
    echo "test.sh: python3-icalendar is missing; install it (sudo apt-get install python3-icalendar) or the feed tests that parse with it fail." >&2
  fi
fi
# --- end of feed tests block ----------------------------------------------------------------------------------------

# --- security tests (issue 17): Debian's nginx, to run the shipped proxy config (deploy/compose/nginx.conf) --------
# NginxLogTests starts its own nginx on loopback; no service is started by the install. Skipped (it says why) without it.
if [[ ! -x /usr/sbin/nginx ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing nginx for the proxy configuration test"
    own_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx; }; } >/dev/null 2>&1 \
      || echo "test.sh: could not install nginx; the proxy configuration test will be skipped." >&2
    [[ $own_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d
  else
    echo "test.sh: nginx is missing; install it (sudo apt-get install nginx) or the proxy configuration test is skipped." >&2
  fi
fi
# --- end of security tests block ------------------------------------------------------------------------------------

cleanup() { "$pg" stop test >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# A fresh cluster each run: tests make their own databases, and old ones would only pile up.
"$pg" wipe test >/dev/null 2>&1 || true
# fsync off: a crash loses only test data, and it makes the suite markedly faster.
port=$(PG_FSYNC=off "$pg" start test "${PLANNER_TEST_PG_PORT:-55532}") || { echo "0 passed, 1 failed"; exit 1; }
# Tests create one database per fixture through this server-level connection.
export ConnectionStrings__PlannerTests="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "test.sh: private PostgreSQL on 127.0.0.1:$port"

rm -rf "$results"; mkdir -p "$results"
if ! dotnet build CommissionPlanner.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "test.sh: the build failed." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test CommissionPlanner.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
test_exit=$?

# Sum the TRX counters of every test project (dotnet test's own summary is per project).
read -r passed failed skipped < <(
  for f in "$results"/*.trx; do [[ -f "$f" ]] && grep -o '<Counters [^>]*>' "$f"; done |
  awk '{
    for (i = 1; i <= NF; i++) {
      split($i, kv, "="); gsub(/[^0-9]/, "", kv[2]);
      if (kv[1] == "passed") p += kv[2];
      else if (kv[1] == "failed" || kv[1] == "error" || kv[1] == "timeout" || kv[1] == "aborted") f += kv[2];
      else if (kv[1] == "notExecuted") s += kv[2];
    }
  } END { printf "%d %d %d\n", p, f, s }')

trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [[ $test_exit -ne 0 && $failed -eq 0 ]]; then
  # The runner failed without a failing test (a crashed test host, say): count it as a failure.
  failed=1
fi
if [[ $trx_count -eq 0 ]]; then
  echo "test.sh: no test results were written." >&2
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
