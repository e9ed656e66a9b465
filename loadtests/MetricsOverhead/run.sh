#!/usr/bin/env bash
# The cost of metrics on the hot path (issue 6): GrainMQ's throughput with Metrics:Enabled=true and =false, same
# load, several alternating trials, medians and their ratio.
#
#   bash loadtests/MetricsOverhead/run.sh
#
# Each trial starts a fresh broker (the Release Silo, loopback, no $SYS, HTTP port 0), warms it up for
# WARMUP_SECONDS (not recorded), then runs PAIRS subscribers on test/%i and PAIRS publishers publishing QoS QOS as
# fast as their inflight window allows (-I 0.5) for SECONDS_PER_TRIAL, and records the publishers' acknowledged rate and the
# subscribers' received count. Trials alternate which variant goes first. The section "## Metrics overhead" of
# docs/benchmarks.md (between its markers) is rewritten; raw results stay in artifacts/metrics-overhead/<time>/.
#
# Settings: TRIALS=5 (per variant), SECONDS_PER_TRIAL=10, WARMUP_SECONDS=4, PAIRS=50, QOS=1, BENCH_OUT=docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
trials="${TRIALS:-5}"
seconds="${SECONDS_PER_TRIAL:-10}"
warmup="${WARMUP_SECONDS:-4}"
pairs="${PAIRS:-50}"
qos="${QOS:-1}"
out="${BENCH_OUT:-docs/benchmarks.md}"
command_line="bash loadtests/MetricsOverhead/run.sh"
for name in TRIALS SECONDS_PER_TRIAL WARMUP_SECONDS PAIRS QOS; do
  if [ -n "${!name:-}" ]; then command_line="$name=${!name} $command_line"; fi
done
LOG_TAG=metrics-overhead
# shellcheck source=../lib.sh
source loadtests/lib.sh

build_release Silo loadtests/LoadGen
results_dir="$root/artifacts/metrics-overhead/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results_dir"
copy_release Silo "$results_dir/silo"
copy_release loadtests/LoadGen "$results_dir/loadgen"
silo_dll="$results_dir/silo/GrainMQ.Silo.dll"
lg=(dotnet "$results_dir/loadgen/GrainMQ.LoadGen.dll")
results="$results_dir/results.jsonl"
: >"$results"

trap cleanup_processes EXIT
trap 'exit 130' INT TERM

# run_trial <on|off> <trial>
run_trial() {
  local variant=$1 trial=$2 enabled port broker sub_pid tag="$1-$2" la0 la1 cpu0 cpu1
  enabled=$([ "$variant" = on ] && echo true || echo false)
  port=$(free_port)
  launch_grainmq "$results_dir/broker-$tag.log" "$silo_dll" "$port" \
    --Sys:Enabled false --Metrics:Enabled "$enabled" --Logging:LogLevel:Default Warning
  broker=$started_pid
  wait_port "$port" "$broker" || { log "broker did not start"; cat "$results_dir/broker-$tag.log" >&2; exit 1; }
  "${lg[@]}" sub -h 127.0.0.1 -p "$port" -c "$pairs" -t 'warm/%i' -q "$qos" --duration $((warmup + 3)) >"$results_dir/$tag.warm.log" 2>&1 &
  sub_pid=$!
  wait_counter "$results_dir/$tag.warm.log" sub 30 "$pairs" || log "$tag: only $(last_total "$results_dir/$tag.warm.log" sub) warm-up subscriptions"
  "${lg[@]}" pub -h 127.0.0.1 -p "$port" -c "$pairs" -t 'warm/%i' -q "$qos" -I 0.5 --duration "$warmup" >/dev/null 2>&1 || true
  wait "$sub_pid" 2>/dev/null || true
  la0=$(cut -d' ' -f1 /proc/loadavg)
  "${lg[@]}" sub -h 127.0.0.1 -p "$port" -c "$pairs" -t 'test/%i' -q "$qos" --duration $((seconds + 8)) --json \
    >"$results_dir/$tag.sub.json" 2>"$results_dir/$tag.sub.err" &
  sub_pid=$!
  wait_counter "$results_dir/$tag.sub.err" sub 30 "$pairs" || log "$tag: only $(last_total "$results_dir/$tag.sub.err" sub) subscriptions"
  cpu0=$(cpu_ticks "$broker")
  "${lg[@]}" pub -h 127.0.0.1 -p "$port" -c "$pairs" -t 'test/%i' -q "$qos" -I 0.5 --duration "$seconds" --json \
    >"$results_dir/$tag.pub.json" 2>"$results_dir/$tag.pub.err" || true
  cpu1=$(cpu_ticks "$broker")
  wait "$sub_pid" 2>/dev/null || true
  la1=$(cut -d' ' -f1 /proc/loadavg)
  stop_process "$broker"
  python3 - "$results" "$results_dir/$tag.pub.json" "$results_dir/$tag.sub.json" "$variant" "$trial" "$la0" "$la1" \
    "$(( cpu1 - cpu0 ))" "$clk_tck" <<'PY'
import json, sys
results, pub_path, sub_path, variant, trial, la0, la1, ticks, clk_tck = sys.argv[1:]
pub, sub = json.load(open(pub_path)), json.load(open(sub_path))
acked = pub["counters"].get("pub_ack", 0)
cpu_us = int(ticks) / int(clk_tck) * 1e6 / acked if acked else None
record = {"variant": variant, "trial": int(trial), "rate": pub.get("pub_rate"), "acked": acked,
          "received": sub["counters"].get("recv", 0), "cpu_us_per_msg": cpu_us, "errors": pub.get("errors", {}),
          "loadavg": [float(la0), float(la1)]}
open(results, "a").write(json.dumps(record) + "\n")
print(json.dumps(record))
PY
}

log "results in $results_dir; $trials trials per variant, $seconds s each"
for trial in $(seq "$trials"); do
  if [ $((trial % 2)) -eq 1 ]; then order=(on off); else order=(off on); fi
  for variant in "${order[@]}"; do run_trial "$variant" "$trial" >&2; done
done

python3 - "$results" "$out" "$command_line" "$trials" "$seconds" "$pairs" "$qos" <<'PY'
import json, os, platform, re, statistics, subprocess, sys
results, out, command, trials, seconds, pairs, qos = sys.argv[1:]
records = [json.loads(line) for line in open(results)]
rates = {v: [r["rate"] for r in records if r["variant"] == v] for v in ("on", "off")}
cpus = {v: [r["cpu_us_per_msg"] for r in records if r["variant"] == v] for v in ("on", "off")}
on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
cpu_on, cpu_off = statistics.median(cpus["on"]), statistics.median(cpus["off"])
pairs_ratio = statistics.median(
    next(r["rate"] for r in records if r["trial"] == t and r["variant"] == "on") /
    next(r["rate"] for r in records if r["trial"] == t and r["variant"] == "off")
    for t in sorted({r["trial"] for r in records}))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
memory = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1)) / 1024 / 1024
dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
loads = [x for r in records for x in r["loadavg"]]
rows = "\n".join(f"| {r['trial']} | {r['variant']} | {r['rate']:,.0f} | {r['acked']:,} | {r['received']:,} | {r['cpu_us_per_msg']:.2f} | {r['loadavg'][0]:.1f} → {r['loadavg'][1]:.1f} |" for r in records)
section = f"""## Metrics overhead

<!-- metrics-overhead:begin -->
The cost of metrics on the hot path: the same load against a fresh broker with `Metrics:Enabled=true` (the
OpenTelemetry meter provider listening, the dashboard sampling every second, every grain call counted and one in
`Metrics:CallTimingSampleEvery` = 16 timed into the duration histogram) and with `Metrics:Enabled=false` (nothing
listens; the runtime neither counts nor times calls). The gateway's and broker's counters are the same in both (they also feed `$SYS`). {pairs} publishers
and {pairs} subscribers on `test/%i`, QoS {qos}, publishing as fast as the inflight window allows, {seconds} s per
trial after a warm-up, {trials} trials per variant alternating which goes first.

    {command}

Machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Linux {platform.release()}, .NET SDK {dotnet}; load average
{min(loads):.1f}–{max(loads):.1f} during the run (the machine was shared with other builds and tests).

| | median msg/s (QoS {qos}, acknowledged) | median broker CPU µs per message | msg/s of each trial |
| --- | ---: | ---: | --- |
| metrics on | {on:,.0f} | {cpu_on:.2f} | {', '.join(f'{x:,.0f}' for x in rates['on'])} |
| metrics off | {off:,.0f} | {cpu_off:.2f} | {', '.join(f'{x:,.0f}' for x in rates['off'])} |
| **on / off** | **{on / off:.3f}** ({(on / off - 1) * 100:+.1f} %) | **{cpu_on / cpu_off:.3f}** ({(cpu_on / cpu_off - 1) * 100:+.1f} %) | median of the per-trial ratios (each trial runs both variants back to back): {pairs_ratio:.3f} |

<details><summary>Every trial</summary>

| trial | metrics | msg/s | acknowledged | received | broker CPU µs/msg | load average |
| --- | --- | ---: | ---: | ---: | ---: | --- |
{rows}

</details>
<!-- metrics-overhead:end -->
"""
text = open(out).read() if os.path.exists(out) else "# Benchmarks\n"
pattern = re.compile(r"## Metrics overhead\n\n<!-- metrics-overhead:begin -->.*?<!-- metrics-overhead:end -->\n", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
open(out, "w").write(text)
print(f"metrics on {on:,.0f} msg/s, off {off:,.0f} msg/s, ratio {on / off:.3f}; CPU/msg ratio {cpu_on / cpu_off:.3f}", file=sys.stderr)
PY
log "done: $out"
