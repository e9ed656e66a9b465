#!/usr/bin/env bash
# Cluster benchmark: 1:1 publishers → subscribers, QoS 0 and QoS 1, throughput and p99 latency, for
#   single   — one Silo, no cluster (in memory: today's default)
#   1-silo   — one Silo in a PostgreSQL cluster (durable delivery on)
#   2-silos  — two Silos and two Gateway processes; publishers connect to gateway A, subscribers to gateway B
# Everything on 127.0.0.1; PostgreSQL as set up by test.sh (GRAINMQ_TEST_POSTGRES). Prints one Markdown table.
# Usage: loadtests/cluster/cluster-bench.sh   (CLIENTS=50 INTERVAL=1 DURATION=15 SIZE=256 to change the load)
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_TAG=cluster-bench
# shellcheck source=../lib.sh
source loadtests/lib.sh
CS="${GRAINMQ_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=grainmq;Password=grainmq;Database=grainmq_test}"
CLIENTS="${CLIENTS:-50}"; INTERVAL="${INTERVAL:-1}"; DURATION="${DURATION:-15}"; SIZE="${SIZE:-256}"
OUT="artifacts/cluster-bench/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT/bin"
build_release Silo Gateway loadtests/LoadGen
for project in Silo Gateway loadtests/LoadGen; do copy_release "$project" "$OUT/bin/$(basename "$project")"; done
SILO="$OUT/bin/Silo/GrainMQ.Silo.dll"; GATEWAY="$OUT/bin/Gateway/GrainMQ.Gateway.dll"; LG="$OUT/bin/LoadGen/GrainMQ.LoadGen.dll"
trap cleanup_processes EXIT
trap 'exit 130' INT TERM

# start NAME DLL ARGS... : starts a broker process and waits until it listens; sets started_port (its MQTT TCP port).
start() {
  local name=$1 dll=$2; shift 2
  launch_grainmq "$OUT/$name.log" "$dll" 0 --Sys:Enabled false --Runtime:SiloName "$name" "$@"
  wait_log "$OUT/$name.log" "$MQTT_LISTENING" 120 "$started_pid" || { echo "$name did not start; see $OUT/$name.log" >&2; exit 1; }
  started_port=$(mqtt_port "$OUT/$name.log")
}
stop_all() { cleanup_processes; }

# await_view NAME... : waits until each named process logged that it routes over two active silos.
await_view() {
  local name
  for name in "$@"; do
    wait_log "$OUT/$name.log" ": 2 active silos" 60 || { echo "$name never saw both silos; see $OUT/$name.log" >&2; exit 1; }
  done
}

# load SLUG LABEL PUB_PORT SUB_PORT QOS : one run; prints a table row.
load() {
  local label=$2 pub=$3 sub=$4 qos=$5 tag="$1-q$5"
  dotnet "$LG" sub -h 127.0.0.1 -p "$sub" -c "$CLIENTS" -t "bench/$tag/%i" -q "$qos" --duration $((DURATION + 8)) --json \
    >"$OUT/$tag.sub.json" 2>"$OUT/$tag.sub.log" &
  local sub_pid=$!
  wait_counter "$OUT/$tag.sub.log" sub 60 "$CLIENTS" || echo "$tag: only $(last_total "$OUT/$tag.sub.log" sub) of $CLIENTS subscribed within 60 s" >&2
  dotnet "$LG" pub -h 127.0.0.1 -p "$pub" -c "$CLIENTS" -t "bench/$tag/%i" -q "$qos" -I "$INTERVAL" -s "$SIZE" \
    --duration "$DURATION" --json >"$OUT/$tag.pub.json" 2>"$OUT/$tag.pub.log"
  wait "$sub_pid" || true
  python3 - "$OUT/$tag.pub.json" "$OUT/$tag.sub.json" "$label" "$qos" "$DURATION" <<'PY'
import json, sys
pub, sub = (json.load(open(p)) for p in sys.argv[1:3])
label, qos, duration = sys.argv[3], sys.argv[4], float(sys.argv[5])
c, lat = sub["counters"], sub["latency_us"]
print(f"| {label} | {qos} | {pub['counters']['pub'] / duration:,.0f} | {c['recv'] / duration:,.0f} | "
      f"{lat['p50'] / 1000:.1f} | {lat['p99'] / 1000:.1f} | {pub['counters']['drop']:,} |")
PY
}

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); $CLIENTS publishers → $CLIENTS subscribers 1:1, every ${INTERVAL} ms each, ${SIZE} B, ${DURATION} s"
echo
echo "| set-up | QoS | sent/s | received/s | p50 ms | p99 ms | dropped by the tool |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for qos in 0 1; do
  start "single-q$qos" "$SILO"
  load single "single node (in memory)" "$started_port" "$started_port" "$qos"
  stop_all
  deployment="bench-1-$qos-$RANDOM"
  start "silo1-q$qos" "$SILO" --Cluster:ConnectionString "$CS" --Cluster:DeploymentId "$deployment" --Cluster:SiloPort 0
  load silo1 "1 silo (cluster, PostgreSQL)" "$started_port" "$started_port" "$qos"
  stop_all
  deployment="bench-2-$qos-$RANDOM"
  cluster=(--Cluster:ConnectionString "$CS" --Cluster:DeploymentId "$deployment" --Cluster:SiloPort 0)
  start "silo-a-q$qos" "$SILO" "${cluster[@]}"
  start "silo-b-q$qos" "$SILO" "${cluster[@]}"
  start "gateway-a-q$qos" "$GATEWAY" "${cluster[@]}"; gateway_a=$started_port
  start "gateway-b-q$qos" "$GATEWAY" "${cluster[@]}"; gateway_b=$started_port
  await_view "silo-a-q$qos" "silo-b-q$qos" "gateway-a-q$qos" "gateway-b-q$qos"
  load silos2 "2 silos + 2 gateways" "$gateway_a" "$gateway_b" "$qos"
  stop_all
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg). Logs and JSON summaries: $OUT"
