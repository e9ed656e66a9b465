#!/usr/bin/env bash
# GrainMQ and mosquitto side by side, on this machine, in one run (issue 5).
#
#   bash loadtests/bench.sh
#
# Builds GrainMQ (Silo) and the load generator in Release, starts a private mosquitto (the Debian package,
# installed when missing) and GrainMQ on loopback ports, runs every scenario against each broker in turn
# (alternating which goes first, each scenario repeated), and writes the section "GrainMQ vs mosquitto" of
# docs/benchmarks.md between the markers <!-- bench.sh:begin --> and <!-- bench.sh:end -->, leaving the rest
# of the file alone. Raw results (one JSON line per trial, broker logs) stay in artifacts/bench/<time>/.
#
# Scenarios (loadtests/README.md describes the load generator):
#   1. connect 15,000 clients: connect rate, broker RSS per connection, RSS per idle connection after the idle
#      timeout (GrainMQ with hibernation on and off);
#   2. 1:1 topics test/%i, 1,000 publishers and 1,000 subscribers at 10,000 msg/s in all, QoS 0 and 1;
#   3. the same with 100 pairs at full speed (200,000 msg/s offered): maximum throughput;
#   4. fan-out: 1 publisher, 1,000 subscribers of one topic, 50 msg/s (50,000 deliveries/s), QoS 0 and 1;
#   5. light load: 100 pairs, 1,000 msg/s in all, QoS 0 and 1: latency.
#
# Settings (environment variables):
#   BENCH_REPEATS=3       trials of each pub/sub scenario per broker (medians are reported)
#   BENCH_CONN_REPEATS=2  trials of the connect scenario per broker variant
#   BENCH_CONNECTIONS=15000, BENCH_SECONDS=10 (publishing time of one trial), BENCH_IDLE_WAIT=12 (seconds waited
#   after the last connect for "after the idle timeout": GrainMQ's Session:IdleTimeout 5 s + one collection pass
#   + margin), BENCH_OUT=docs/benchmarks.md.
# Each broker start takes a free loopback port (other people's brokers may run on this machine too).
# A full run takes about 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

repeats="${BENCH_REPEATS:-3}"
conn_repeats="${BENCH_CONN_REPEATS:-2}"
connections="${BENCH_CONNECTIONS:-15000}"
seconds="${BENCH_SECONDS:-10}"
idle_wait="${BENCH_IDLE_WAIT:-12}"
out="${BENCH_OUT:-docs/benchmarks.md}"
command_line="bash loadtests/bench.sh"
for name in BENCH_REPEATS BENCH_CONN_REPEATS BENCH_CONNECTIONS BENCH_SECONDS BENCH_IDLE_WAIT; do
  if [ -n "${!name:-}" ]; then command_line="$name=${!name} $command_line"; fi
done

LOG_TAG=bench
# shellcheck source=lib.sh
source loadtests/lib.sh

# ---------------------------------------------------------------------------------------------- prerequisites
as_root() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }
need_apt=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

# 15,000 connections need as many descriptors in each broker (and the load generator splits its clients over
# worker processes to stay under its own limit).
raise_open_files $((connections + 1000))
workers=$(( (connections + 9999) / 10000 ))

# -------------------------------------------------------------------------------------------------- build
log "building GrainMQ (Silo) and the load generator in Release"
build_release Silo loadtests/LoadGen

results_dir="$root/artifacts/bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results_dir"
results="$results_dir/results.jsonl"
: >"$results"
# Run from copies, so that another build of the tree during the run cannot change the binaries under test.
copy_release Silo "$results_dir/silo"
copy_release loadtests/LoadGen "$results_dir/loadgen"
silo_dll="$results_dir/silo/GrainMQ.Silo.dll"
lg=(dotnet "$results_dir/loadgen/GrainMQ.LoadGen.dll")
report=(python3 "$root/loadtests/bench_report.py")

# ------------------------------------------------------------------------------------------ process helpers
trap cleanup_processes EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
mosquitto_pid=""
grainmq_pid=""
mosquitto_port=""
grainmq_port=""

# Same limits for both brokers where both have them: 32 messages in flight and 1,000 queued per client, no
# persistence, no $SYS topics, Nagle off (Kestrel's default), only warnings and errors logged.
start_mosquitto() {
  mosquitto_port=$(free_port)
  cat >"$results_dir/mosquitto.conf" <<EOF
listener $mosquitto_port 127.0.0.1
allow_anonymous true
max_connections -1
max_inflight_messages 32
max_queued_messages 1000
persistence false
sys_interval 0
set_tcp_nodelay true
log_dest stderr
log_type error
log_type warning
EOF
  start_process "$results_dir/mosquitto.log" "$mosquitto_bin" -c "$results_dir/mosquitto.conf"
  mosquitto_pid=$started_pid
  wait_port "$mosquitto_port" "$mosquitto_pid" || { log "mosquitto did not start"; cat "$results_dir/mosquitto.log" >&2; exit 1; }
}

# $1: Session:IdleTimeout (GrainMQ hibernates a session idle this long).
start_grainmq() {
  grainmq_port=$(free_port)
  launch_grainmq "$results_dir/grainmq.log" "$silo_dll" "$grainmq_port" --Sys:Enabled false --Session:IdleTimeout "$1" \
    --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.Hosting.Lifetime Warning
  grainmq_pid=$started_pid
  wait_port "$grainmq_port" "$grainmq_pid" || { log "GrainMQ did not start"; cat "$results_dir/grainmq.log" >&2; exit 1; }
}

broker_pid() { if [ "$1" = grainmq ]; then echo "$grainmq_pid"; else echo "$mosquitto_pid"; fi; }
broker_port() { if [ "$1" = grainmq ]; then echo "$grainmq_port"; else echo "$mosquitto_port"; fi; }

# ------------------------------------------------------------------------------ scenario 1: connections
# $1 broker, $2 variant (label), $3 repetition. Fresh broker, warmed up; RSS before, once every client is connected
# (+2 s), and $idle_wait seconds later.
run_connect() {
  local broker=$1 variant=$2 rep=$3 pid port la rss0 rss_conn rss_idle t0 t1 conn_pid
  case "$variant" in
    hibernation-on) start_grainmq 00:00:05 ;;
    hibernation-off) start_grainmq 1.00:00:00 ;;
    *) start_mosquitto ;;
  esac
  pid=$(broker_pid "$broker"); port=$(broker_port "$broker")
  # Warm-up (not recorded): 2,000 clients connect and leave, so that the measured connects find a broker in its
  # steady state (for GrainMQ: methods compiled by the JIT), and RSS before includes what any connection leaves.
  "${lg[@]}" conn -h 127.0.0.1 -p "$port" -c 2000 -R 2000 --duration 3 --prefix warm >/dev/null 2>&1 || true
  sleep 3
  la=$(loadavg); rss0=$(rss_kb "$pid")
  local tag="connect-$variant-$rep"
  "${lg[@]}" conn -h 127.0.0.1 -p "$port" -c "$connections" -R 5000 --duration 300 --workers "$workers" --json \
    >"$results_dir/$tag.json" 2>"$results_dir/$tag.err" &
  conn_pid=$!; pids+=("$conn_pid")
  t0=$(date +%s.%N)
  local waited=0
  while [ $(( $(last_total "$results_dir/$tag.err" connect_succ) + $(last_total "$results_dir/$tag.err" connect_fail) )) -lt "$connections" ]; do
    sleep 0.2; waited=$((waited + 1))
    [ "$waited" -lt 450 ] || { log "$tag: not every client connected within 90 s"; break; }
  done
  t1=$(date +%s.%N)
  sleep 2
  rss_conn=$(rss_kb "$pid")
  sleep "$idle_wait"
  rss_idle=$(rss_kb "$pid")
  stop_process "$conn_pid"
  if [ "$broker" = grainmq ]; then stop_process "$grainmq_pid"; else stop_process "$mosquitto_pid"; fi
  "${report[@]}" record-connect "$results" "$results_dir/$tag.json" scenario=connect broker="$broker" variant="$variant" \
    rep="$rep" loadavg="$la" rss_before_kb="$rss0" rss_connected_kb="$rss_conn" rss_idle_kb="$rss_idle" \
    connect_seconds="$(python3 -c "print($t1 - $t0)")" \
    command="lg conn -h 127.0.0.1 -p PORT -c $connections -R 5000 --workers $workers"
  log "$tag: $(tail -n 1 "$results")"
}

# ------------------------------------------------------------------------------ scenarios 2-5: pub/sub
# run_pubsub scenario broker rep qos subscribers publishers sub_topic pub_topic interval_ms limit
# Subscribers connect and subscribe first; then the publishers run for $seconds (or until `limit` messages);
# then the subscribers get until their count stops growing (at most 10 s) to drain.
run_pubsub() {
  local scenario=$1 broker=$2 rep=$3 qos=$4 nsub=$5 npub=$6 sub_topic=$7 pub_topic=$8 interval=$9 limit=${10}
  local pid port la cpu0 cpu1 t0 t1 sub_pid tag="$1-$2-$3"
  pid=$(broker_pid "$broker"); port=$(broker_port "$broker")
  la=$(loadavg)
  "${lg[@]}" sub -h 127.0.0.1 -p "$port" -c "$nsub" -R 5000 -t "$sub_topic" -q "$qos" --duration 120 --json \
    >"$results_dir/$tag.sub.json" 2>"$results_dir/$tag.sub.err" &
  sub_pid=$!; pids+=("$sub_pid")
  wait_counter "$results_dir/$tag.sub.err" sub 60 "$nsub" || log "$tag: only $(last_total "$results_dir/$tag.sub.err" sub) subscriptions"
  # A limited run ends by its limit (the duration is only a safety net); an unlimited one by the duration.
  local limit_args=() duration=$seconds
  if [ "$limit" -gt 0 ]; then limit_args=(-L "$limit"); duration=$((seconds + 10)); fi
  cpu0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  "${lg[@]}" pub -h 127.0.0.1 -p "$port" -c "$npub" -R 5000 -t "$pub_topic" -q "$qos" -I "$interval" "${limit_args[@]}" \
    --duration "$duration" --json >"$results_dir/$tag.pub.json" 2>"$results_dir/$tag.pub.err" || true
  local previous=-1 current waited=0
  current=$(last_total "$results_dir/$tag.sub.err" recv)
  while [ "$current" != "$previous" ] && [ "$waited" -lt 10 ]; do
    sleep 1.2; waited=$((waited + 1)); previous=$current; current=$(last_total "$results_dir/$tag.sub.err" recv)
  done
  cpu1=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
  stop_process "$sub_pid"
  "${report[@]}" record-pubsub "$results" "$results_dir/$tag.pub.json" "$results_dir/$tag.sub.json" scenario="$scenario" \
    broker="$broker" rep="$rep" qos="$qos" loadavg="$la" cpu_seconds="$(python3 -c "print(($cpu1 - $cpu0) / $clk_tck)")" \
    wall_seconds="$(python3 -c "print($t1 - $t0)")" \
    sub_command="lg sub -h 127.0.0.1 -p PORT -c $nsub -R 5000 -t '$sub_topic' -q $qos" \
    pub_command="lg pub -h 127.0.0.1 -p PORT -c $npub -R 5000 -t '$pub_topic' -q $qos -I $interval ${limit_args[*]} --duration $duration"
  log "$tag: $(tail -n 1 "$results")"
}

pubsub_scenario() {
  local name=$1 qos=$2 nsub=$3 npub=$4 sub_topic=$5 pub_topic=$6 interval=$7 limit=$8 rep first second
  for rep in $(seq "$repeats"); do
    if [ $((rep % 2)) -eq 1 ]; then first=grainmq; second=mosquitto; else first=mosquitto; second=grainmq; fi
    run_pubsub "$name" "$first" "$rep" "$qos" "$nsub" "$npub" "$sub_topic" "$pub_topic" "$interval" "$limit"
    run_pubsub "$name" "$second" "$rep" "$qos" "$nsub" "$npub" "$sub_topic" "$pub_topic" "$interval" "$limit"
  done
}

# -------------------------------------------------------------------------------------------------- the run
started=$(date +%s)
log "results in $results_dir"
"${report[@]}" machine "$results_dir/machine.json" "$mosquitto_bin" "$results_dir/silo"

log "scenario 1: $connections connections, $conn_repeats times per variant"
for rep in $(seq "$conn_repeats"); do
  if [ $((rep % 2)) -eq 1 ]; then order=(hibernation-on mosquitto hibernation-off); else order=(hibernation-off mosquitto hibernation-on); fi
  for variant in "${order[@]}"; do
    if [ "$variant" = mosquitto ]; then run_connect mosquitto default "$rep"; else run_connect grainmq "$variant" "$rep"; fi
  done
done

log "scenarios 2-5: both brokers running, default settings (GrainMQ Session:IdleTimeout 30 s)"
start_mosquitto
start_grainmq 00:00:30
for broker in grainmq mosquitto; do
  # Warm-up (not recorded): JIT tiering for GrainMQ, and the same load for mosquitto.
  start_process "$results_dir/warm-$broker.log" "${lg[@]}" sub -h 127.0.0.1 -p "$(broker_port $broker)" -c 100 -t 'warm/%i' -q 1 --duration 9
  warm_pid=$started_pid
  wait_counter "$results_dir/warm-$broker.log" sub 30 100 || log "warm-up: only $(last_total "$results_dir/warm-$broker.log" sub) subscriptions"
  "${lg[@]}" pub -h 127.0.0.1 -p "$(broker_port $broker)" -c 100 -t 'warm/%i' -q 1 -I 1 --duration 5 >/dev/null 2>&1 || true
  stop_process "$warm_pid"
done

pairs_rate=$((seconds * 10000))
pubsub_scenario fixed-q0 0 1000 1000 'test/%i' 'test/%i' 100 "$pairs_rate"
pubsub_scenario fixed-q1 1 1000 1000 'test/%i' 'test/%i' 100 "$pairs_rate"
pubsub_scenario max-q0 0 100 100 'test/%i' 'test/%i' 0.5 0
pubsub_scenario max-q1 1 100 100 'test/%i' 'test/%i' 0.5 0
pubsub_scenario fanout-q0 0 1000 1 'fan/all' 'fan/all' 20 $((seconds * 50))
pubsub_scenario fanout-q1 1 1000 1 'fan/all' 'fan/all' 20 $((seconds * 50))
pubsub_scenario light-q0 0 100 100 'test/%i' 'test/%i' 100 $((seconds * 1000))
pubsub_scenario light-q1 1 100 100 'test/%i' 'test/%i' 100 $((seconds * 1000))
stop_process "$grainmq_pid"
stop_process "$mosquitto_pid"

elapsed=$(( $(date +%s) - started ))
log "measured in $((elapsed / 60)) min $((elapsed % 60)) s; writing $out"
"${report[@]}" render "$results" "$results_dir/machine.json" "$out" "$command_line" "$elapsed" "$seconds" "$idle_wait"
log "done: $out (raw results: $results_dir)"
