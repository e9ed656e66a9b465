# Shared by the load-test scripts (loadtests/bench.sh, loadtests/MetricsOverhead/run.sh,
# loadtests/cluster/cluster-bench.sh, loadtests/cgroup-bench.sh); sourced, not run:
#
#   set -euo pipefail
#   cd "$(dirname "$0")/.."          # the repository root
#   LOG_TAG=bench                    # the tag of log()'s lines
#   source loadtests/lib.sh
#
# Building and copying the binaries under test, free loopback ports, starting GrainMQ processes and stopping what
# was started (also on exit: cleanup_processes), waiting for readiness (a port that accepts, a log line, a load
# generator counter) with a deadline, the open-files limit, logging.

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The line every GrainMQ process (Silo or Gateway) logs once its MQTT TCP listener accepts clients.
readonly MQTT_LISTENING="Listening for MQTT over TCP on"

log() { printf '[%s %s] %s\n' "${LOG_TAG:-loadtests}" "$(date +%H:%M:%S)" "$*" >&2; }

# ------------------------------------------------------------------------------------------------ binaries
# build_release PROJECT...: builds each project folder (Silo, Gateway, loadtests/LoadGen) in Release, silently; on a
# failure it prints the build's errors on stderr and fails.
build_release() {
  local project output
  for project in "$@"; do
    if ! output=$(dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly 2>&1); then
      printf '%s\n' "$output" >&2; return 1
    fi
  done
}

# copy_release PROJECT DEST: copies the Release build of PROJECT to DEST, so that another build of the tree during the
# run cannot change the binaries under test.
copy_release() { cp -r "$1/bin/Release/net10.0" "$2"; }

# raise_open_files NEEDED: raises the open-files limit to the hard limit; fails (exit 1) when that is below NEEDED.
raise_open_files() {
  ulimit -n "$(ulimit -Hn)"
  if [ "$(ulimit -n)" -lt "$1" ]; then log "ulimit -n is $(ulimit -n): $1 needed"; exit 1; fi
}

# ------------------------------------------------------------------------------------------------ processes
# Every process started through start_process is tracked in pids and stopped by cleanup_processes.
pids=()
launch_prefix=()

# start_process LOG COMMAND...: runs COMMAND in the background, its output appended to LOG; sets started_pid.
start_process() {
  local out=$1; shift
  "$@" >>"$out" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}

# launch_grainmq LOG DLL PORT ARGS...: starts a GrainMQ process (Silo or Gateway DLL) with MQTT over TCP on
# 127.0.0.1:PORT (0 = a free port, see mqtt_port), no WebSocket and no HTTP listener, then ARGS. Runs under
# launch_prefix when set (a command that execs its arguments, e.g. to enter a cgroup). Sets started_pid.
launch_grainmq() {
  local out=$1 dll=$2 port=$3; shift 3
  start_process "$out" "${launch_prefix[@]}" dotnet "$dll" --Mqtt:Host 127.0.0.1 --Mqtt:Tcp:Port "$port" \
    --Mqtt:WebSocket:Enabled false --Http:Port 0 "$@"
}

forget() { local keep=() p; for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; pids=("${keep[@]}"); }

# stop_process PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (15); reaps it and stops tracking it.
stop_process() {
  local pid=$1 limit=${2:-15} i
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq $((limit * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}

# cleanup_processes: stops every tracked process (SIGTERM to all, then each gets 15 s before SIGKILL).
cleanup_processes() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do stop_process "$pid"; done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
clk_tck="$(getconf CLK_TCK)"

# ------------------------------------------------------------------------------------------------ readiness
# A loopback port nobody listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT PID: waits (at most 30 s) until something accepts on 127.0.0.1:PORT while process PID lives.
wait_port() {
  local i
  for i in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# wait_log FILE TEXT SECONDS [PID]: waits (at most SECONDS) until FILE has a line containing TEXT; false when it did
# not come in time or process PID ended first.
wait_log() {
  local file=$1 text=$2 limit=$3 pid=${4:-} i
  for i in $(seq $((limit * 10))); do
    grep -qsF -- "$text" "$file" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then grep -qsF -- "$text" "$file"; return; fi
    sleep 0.1
  done
  return 1
}

# mqtt_port LOG: the port of the first "Listening for MQTT over TCP on HOST:PORT" line of LOG.
mqtt_port() { grep -m1 -F "$MQTT_LISTENING" "$1" | sed 's/.*://'; }

# last_total FILE COUNTER: the last total of COUNTER in a load generator's progress output (0 when none yet).
last_total() {
  local total
  total=$({ grep -o " $2 total=[0-9]*" "$1" 2>/dev/null || true; } | tail -n 1 | sed 's/.*=//')
  echo "${total:-0}"
}

# wait_counter FILE COUNTER SECONDS TARGET: waits (at most SECONDS) until COUNTER in progress file FILE reaches
# TARGET; true when it did. The load generator prints its counters once a second.
wait_counter() {
  local file=$1 counter=$2 limit=$3 target=$4 waited=0
  while [ "$(last_total "$file" "$counter")" -lt "$target" ]; do
    sleep 0.2; waited=$((waited + 1))
    [ "$waited" -lt $((limit * 5)) ] || return 1
  done
}
