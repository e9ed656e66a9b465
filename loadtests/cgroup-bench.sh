#!/usr/bin/env bash
# CPU budget under a cgroup quota: GrainMQ's cgroup sizing on vs off (docs/cgroups.md).
#
# Builds Release, creates a cgroup v1 `cpu` parent with a 1-CPU CFS quota (cfs_quota_us=100000, period 100000) and
# an unlimited child, and starts the Silo in the child — so .NET itself sees every host CPU (it reads only the leaf)
# while GrainMQ's budget is 1 CPU. Then, RUNS times, alternating sizing on/off, with a fresh Silo per run:
# GrainMQ.LoadGen (outside the cgroup) runs CLIENTS subscribers and CLIENTS publishers paired 1:1 on bench/%i, QoS 1,
# each publisher every INTERVAL ms, for each INTERVAL of INTERVALS: 1 ms saturates the Silo (LoadGen's inflight
# window of 16 per client bounds it; the excess is counted as `drop`), 20 ms is a fixed rate below capacity.
# WARMUP s of the same load (fresh subscribers) warm the Silo up unmeasured; then, over DURATION s, it records the
# acknowledged publish rate, the delivered rate, the subscribers' publish→receive latency, the parent's nr_throttled /
# throttled_time deltas, the Silo's CPU time and its peak thread count (/proc/PID/status Threads:). Writes the section
# "## CPU budget under a cgroup quota" of docs/benchmarks.md (the rest of that file is left alone; a "### Analysis"
# subsection of the section, written by hand, is kept), and prints it.
#
# Needs root and a writable cgroup v1 cpu hierarchy at /sys/fs/cgroup/cpu. Traffic stays on 127.0.0.1.
# Environment: RUNS=3 DURATION=25 WARMUP=5 CLIENTS=50 INTERVALS="1 20" SIZE=256 PORT=18840 OUT=docs/benchmarks.md
# (NO_BUILD=1 uses the Release binaries already built)
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=cgroup-bench
# shellcheck source=lib.sh
source loadtests/lib.sh

runs="${RUNS:-3}"
duration="${DURATION:-25}"
warmup="${WARMUP:-5}"
clients="${CLIENTS:-50}"
intervals="${INTERVALS:-1 20}"
size="${SIZE:-256}"
port="${PORT:-18840}"
out="${OUT:-docs/benchmarks.md}"
heading="## CPU budget under a cgroup quota"
cpu_root=/sys/fs/cgroup/cpu

[ "$(id -u)" -eq 0 ] || { echo "needs root: it creates cgroups under $cpu_root"; exit 1; }
[ -f "$cpu_root/cpu.cfs_quota_us" ] || { echo "no cgroup v1 cpu hierarchy at $cpu_root"; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use (PORT= to change)"; exit 1; fi

work="$(mktemp -d)"
parent="$cpu_root/grainmq-bench-$$"
child="$parent/silo"
silo_pid=""
stop_silo() {
  [ -n "$silo_pid" ] || return 0
  stop_process "$silo_pid" 10
  silo_pid=""
}
cleanup() {
  cleanup_processes
  for dir in "$child" "$parent"; do
    [ -d "$dir" ] || continue
    while read -r pid; do echo "$pid" >"$cpu_root/cgroup.procs" 2>/dev/null || true; done <"$dir/cgroup.procs"
    rmdir "$dir" 2>/dev/null || echo "could not remove $dir"
  done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${NO_BUILD:-0}" != 1 ]; then
  echo "building (Release)…" >&2
  build_release Silo loadtests/LoadGen
fi
silo_dll="$(pwd)/Silo/bin/Release/net10.0/GrainMQ.Silo.dll"
lg=(nice -n -10 dotnet "$(pwd)/loadtests/LoadGen/bin/Release/net10.0/GrainMQ.LoadGen.dll")

mkdir "$parent" "$child"
echo 100000 >"$parent/cpu.cfs_period_us"
echo 100000 >"$parent/cpu.cfs_quota_us"
# Other work on the machine runs in the root cgroup, where a cgroup weighs as much as one task of its shares: give the
# parent the most shares (and the load generator a higher priority) so that the quota, not the neighbours, is the limit.
echo 262144 >"$parent/cpu.shares"

# counter NAME FILE: a counter of a "name value" file (cpu.stat).
counter() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
# json PATH FILE: a number from LoadGen's one-line JSON summary; PATH is "key" or "object.key".
json() {
  local text; text="$(cat "$2")"
  case "$1" in
    *.*) text="$(grep -o "\"${1%%.*}\":{[^}]*}" <<<"$text")"; set -- "${1#*.}" ;;
  esac
  grep -o "\"$1\":[0-9.]*" <<<"$text" | head -1 | cut -d: -f2
}
# cpu_seconds PID: user + system time of a process so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
threads() { awk '$1 == "Threads:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

sub_pid=""
start_subscribers() {
  "${lg[@]}" sub -h 127.0.0.1 -p "$port" -c "$clients" -t 'bench/%i' -q 1 \
    --duration $((duration + 60)) --json >"$work/sub.json" 2>"$work/sub.err" &
  sub_pid=$!
  wait_counter "$work/sub.err" sub 30 "$clients" || true
}
# stop_subscribers PUB_JSON: once the deliveries still in flight arrived (as many as the publishers got acknowledged,
# at most 10 s), the subscribers stop and write their summary.
stop_subscribers() {
  local acked; acked="$(json counters.pub_ack "$1")"
  wait_counter "$work/sub.err" recv 10 "${acked:-0}" || true
  kill -TERM "$sub_pid" 2>/dev/null || true
  wait "$sub_pid" || true
}

run_once() {
  local mode="$1" interval="$2" n="$3" log="$work/silo-$1-$2-$3.log"
  # The Silo enters the child cgroup before its first instruction.
  launch_prefix=(sh -c 'echo $$ > "$1" && shift && exec "$@"' enter-cgroup "$child/cgroup.procs")
  launch_grainmq "$log" "$silo_dll" "$port" --Scheduling:CgroupAware "$mode"
  launch_prefix=()
  silo_pid=$started_pid
  wait_log "$log" "$MQTT_LISTENING" 60 "$silo_pid" || { echo "the Silo did not start:"; cat "$log"; exit 1; }
  budget_line[$mode]="$(grep -m1 -E ' → budget | → cgroup sizing off ' "$log" | sed 's/^ *//')"

  # Warm-up, not measured: the first messages JIT the publish path and tiered compilation recompiles it.
  start_subscribers
  "${lg[@]}" pub -h 127.0.0.1 -p "$port" -c "$clients" -t 'bench/%i' -q 1 -s "$size" -I "$interval" \
    --duration "$warmup" --json >"$work/warmup.json" 2>"$work/warmup.err"
  stop_subscribers "$work/warmup.json"

  start_subscribers
  local periods0 throttled0 time0 cpu0 peak=0
  periods0="$(counter nr_periods "$parent/cpu.stat")"
  throttled0="$(counter nr_throttled "$parent/cpu.stat")"
  time0="$(counter throttled_time "$parent/cpu.stat")"
  cpu0="$(cpu_seconds "$silo_pid")"
  "${lg[@]}" pub -h 127.0.0.1 -p "$port" -c "$clients" -t 'bench/%i' -q 1 -s "$size" -I "$interval" \
    --duration "$duration" --json >"$work/pub.json" 2>"$work/pub.err" &
  local pub_pid=$!
  while kill -0 "$pub_pid" 2>/dev/null; do
    local t; t="$(threads "$silo_pid")"; [ "$t" -gt "$peak" ] && peak="$t"
    sleep 1
  done
  wait "$pub_pid"
  local periods throttled ttime cpu
  periods=$(( $(counter nr_periods "$parent/cpu.stat") - periods0 ))
  throttled=$(( $(counter nr_throttled "$parent/cpu.stat") - throttled0 ))
  ttime=$(( $(counter throttled_time "$parent/cpu.stat") - time0 ))
  cpu="$(awk -v a="$cpu0" -v b="$(cpu_seconds "$silo_pid")" 'BEGIN { printf "%.1f", b - a }')"

  stop_subscribers "$work/pub.json"
  stop_silo

  local elapsed acked recv drop
  elapsed="$(json elapsed_seconds "$work/pub.json")"
  acked="$(json counters.pub_ack "$work/pub.json")"
  drop="$(json counters.drop "$work/pub.json")"
  recv="$(json counters.recv "$work/sub.json")"
  if [ -z "$elapsed" ] || [ -z "$recv" ]; then
    echo "no summary from LoadGen:"; cat "$work/pub.err" "$work/pub.json" "$work/sub.err" "$work/sub.json"; exit 1
  fi
  # mode interval run acked/s delivered/s p50 p99 p99.9 (µs) drop nr_periods nr_throttled throttled_ms cpu_s peak_threads
  # cpu_µs_per_acked_publish
  awk -v m="$mode" -v i="$interval" -v n="$n" -v e="$elapsed" -v a="$acked" -v r="$recv" -v d="$drop" \
      -v p50="$(json latency_us.p50 "$work/sub.json")" -v p99="$(json latency_us.p99 "$work/sub.json")" \
      -v p999="$(json latency_us.p999 "$work/sub.json")" -v np="$periods" -v nt="$throttled" -v tt="$ttime" \
      -v c="$cpu" -v th="$peak" \
      'BEGIN { printf "%s %s %d %.0f %.0f %d %d %d %d %d %d %.0f %s %d %.1f\n", m, i, n, a / e, r / e, p50, p99, p999, d, np, nt, tt / 1e6, c, th, c * 1e6 / a }' \
      >>"$work/results.txt"
  echo "sizing $mode, -I $interval, run $n: $(tail -1 "$work/results.txt")" >&2
}

declare -A budget_line
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $(seq "$runs"); do
  for interval in $intervals; do
    run_once true "$interval" "$n"
    run_once false "$interval" "$n"
  done
done

# median COLUMN MODE INTERVAL: the median of one column over the runs of one mode under one load.
median() {
  awk -v c="$1" -v m="$2" -v i="$3" '$1 == m && $2 == i { v[++k] = $c } END {
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    print (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }' "$work/results.txt"
}
row() {
  local mode="$1" i="$2" label
  label="$( [ "$mode" = true ] && echo "on (default)" || echo "off" )"
  echo "| every $i ms | $label | $(median 4 "$mode" "$i") | $(median 5 "$mode" "$i") | $(median 6 "$mode" "$i") | $(median 7 "$mode" "$i") | $(median 8 "$mode" "$i") | $(median 9 "$mode" "$i") | $(median 11 "$mode" "$i") / $(median 10 "$mode" "$i") | $(median 12 "$mode" "$i") | $(median 13 "$mode" "$i") | $(median 15 "$mode" "$i") | $(median 14 "$mode" "$i") |"
}

command_line="RUNS=$runs DURATION=$duration WARMUP=$warmup CLIENTS=$clients INTERVALS=\"$intervals\" SIZE=$size loadtests/cgroup-bench.sh"
{
  echo "$heading"
  echo
  echo "Written by \`loadtests/cgroup-bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Command (as root):"
  echo
  echo '```'
  echo "$command_line"
  echo '```'
  echo
  echo "**Set-up.** The Silo runs in an unlimited child of a cgroup v1 \`cpu\` parent with a 1-CPU CFS quota"
  echo "(cfs_quota_us=100000, cfs_period_us=100000): .NET reads only the leaf and sizes itself to every host CPU, while"
  echo "GrainMQ finds the parent's quota. GrainMQ.LoadGen runs outside the cgroup on the same machine: $clients subscribers and"
  echo "$clients publishers paired 1:1 (bench/%i), QoS 1, ${size}-byte payloads, for $duration s, each publisher due every"
  echo "$(sed 's/ / ms, then every /g' <<<"$intervals") ms, with at most 16 unacknowledged per publisher (a publish that is due while 16 are"
  echo "unacknowledged is counted as dropped by the tool: at every 1 ms, more is offered than the Silo can take). A fresh Silo"
  echo "per run, warmed up by $warmup s of the same load (fresh subscribers, not measured); $runs runs of each mode and load, alternating on, off, on, off…; the table shows the medians. The parent"
  echo "cgroup gets the most cpu.shares and the load generator nice -10, so that other work on the machine takes less of"
  echo "the Silo's CPU (it still takes some: see the CPU time column, and the analysis)."
  echo
  echo "**Machine.** \`nproc\` = $(nproc), $(grep -m1 MemTotal /proc/meminfo | awk '{ printf "%.0f GiB", $2 / 1048576 }'), Linux $(uname -r), .NET SDK $(dotnet --version), load average (1, 5, 15 min) at the start: $load_before, at the end: $(cut -d' ' -f1-3 /proc/loadavg) (builds and tests of other work were running on the machine)."
  echo
  echo '```'
  lscpu | head
  echo '```'
  echo
  echo "**What the Silo said at start:**"
  echo
  echo "- sizing on: \`${budget_line[true]}\`"
  echo "- sizing off (\`--Scheduling:CgroupAware false\`): \`${budget_line[false]}\`"
  echo
  echo "| load | cgroup sizing | publishes acked/s | delivered/s | p50 µs | p99 µs | p99.9 µs | dropped (tool) | nr_throttled / nr_periods | throttled ms | Silo CPU s | Silo CPU µs per publish | Silo threads (peak) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for i in $intervals; do row true "$i"; row false "$i"; done
  echo
  echo "Latency is publish→receive as the subscribers measured it. The cgroup counters are the parent's deltas over the"
  echo "publishing window (the parent carries the quota, so it is the cgroup that is throttled); CPU time is the Silo's"
  echo "own (/proc/PID/stat) over the same window; CPU µs per publish divides it by the acknowledged publishes. Every run:"
  echo
  echo "| run | load | sizing | acked/s | delivered/s | p50 µs | p99 µs | p99.9 µs | dropped | nr_periods | nr_throttled | throttled ms | CPU s | CPU µs/publish | threads |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  awk '{ printf "| %d | every %s ms | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $3, $2, ($1 == "true" ? "on" : "off"), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $14 }' "$work/results.txt"
} >"$work/section.md"

# Keep a hand-written "### Analysis" of the previous section, if there is one.
if [ -f "$out" ]; then
  awk -v h="$heading" '
    $0 == h { inside = 1; next }
    inside && /^## / { inside = 0 }
    inside && /^### Analysis/ { keep = 1 }
    inside && keep { print }' "$out" >"$work/analysis.md"
  if [ -s "$work/analysis.md" ]; then
    { echo; cat "$work/analysis.md"; } >>"$work/section.md"
  fi
  awk -v h="$heading" -v section="$work/section.md" '
    $0 == h { while ((getline line < section) > 0) print line; print ""; skipping = 1; done = 1; next }
    skipping && /^## / { skipping = 0 }
    !skipping { print }
    END { if (!done) { print ""; while ((getline line < section) > 0) print line } }' "$out" >"$work/out.md"
  cp "$work/out.md" "$out"
else
  { echo "# Benchmarks"; echo; cat "$work/section.md"; } >"$out"
fi
cat "$work/section.md"
