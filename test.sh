#!/usr/bin/env bash
# Runs GrainMQ's whole test suite on a fresh Debian machine: installs what the tests need
# (third-party MQTT clients for the interop tests), builds, runs every test project, and ends
# with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v mosquitto_pub >/dev/null 2>&1 || need_apt+=(mosquitto-clients)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null || {
    echo "could not install ${need_apt[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# The cluster tests use a real PostgreSQL: start the Debian cluster and create the test role and database
# (idempotent). Tests read GRAINMQ_TEST_POSTGRES; the default below matches what is created here.
export GRAINMQ_TEST_POSTGRES="${GRAINMQ_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=grainmq;Password=grainmq;Database=grainmq_test}"
if command -v pg_lsclusters >/dev/null 2>&1; then
  read -r pg_version pg_name _ < <(pg_lsclusters -h | head -1)
  if [ -n "${pg_version:-}" ]; then
    pg_ctlcluster "$pg_version" "$pg_name" start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    pg_as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
    pg_as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='grainmq'\" | grep -q 1 || psql -qc \"CREATE ROLE grainmq LOGIN PASSWORD 'grainmq'\"" >/dev/null
    pg_as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='grainmq_test'\" | grep -q 1 || createdb -O grainmq grainmq_test" >/dev/null
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$(pwd)/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

if ! dotnet build GrainMQ.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

# Every test project of the solution: tests/*/*.Tests.csproj (tests/TestSupport is a library the tests share, not a
# test project). Each writes its own TRX file, named after the project, so no two can overwrite each other.
mapfile -t projects < <(dotnet sln GrainMQ.sln list | tr '\\' / | grep -E '^tests/[^/]+/[^/]+\.Tests\.csproj$' | sort)
if [ ${#projects[@]} -eq 0 ]; then
  echo "no test projects found in GrainMQ.sln"; echo "0 passed, 1 failed"; exit 1
fi

declare -A exit_codes
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal"
  exit_codes[$name]=$?
done

# Sum every project's counters. A project without its TRX file, or whose run failed without a failed test being
# recorded (a crashed test host), counts as one failure, with a message saying which.
passed=0; failed=0
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  trx="$results/$name.trx"
  counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -1)
  if [ -z "$counters" ]; then
    echo "$name: no test results ($trx is missing or has no counters; dotnet test exited ${exit_codes[$name]}): counted as 1 failure"
    failed=$((failed + 1)); continue
  fi
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  if [ "${exit_codes[$name]}" -ne 0 ] && [ $((${f:-0} + ${e:-0})) -eq 0 ]; then
    echo "$name: dotnet test exited ${exit_codes[$name]} without a failed test recorded: counted as 1 failure"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
