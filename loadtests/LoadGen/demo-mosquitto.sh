#!/usr/bin/env bash
# Runs the load generator's demo against a private mosquitto (Debian package `mosquitto`):
#   1. 1000 held connections (conn),
#   2. 100 subscribers and 100 publishers paired 1:1 (topic bench/%i), 10 msg/s each for 10 s, QoS 1,
#      with the subscribers' latency summary,
#   3. a --workers 2 run (2,000 connections held by two child processes, merged by the parent).
# The broker listens on 127.0.0.1:${PORT:-18830} and is stopped at the end. Output goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${PORT:-18830}"
work="$(mktemp -d)"
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ]; then kill "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

command -v mosquitto >/dev/null || { echo "mosquitto is not installed (apt-get install mosquitto)"; exit 1; }
dotnet build loadtests/LoadGen -c Release -nologo -clp:ErrorsOnly >/dev/null
tool=(dotnet loadtests/LoadGen/bin/Release/net10.0/GrainMQ.LoadGen.dll)

printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\n' "$port" >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

echo "### conn: 1000 connections held for 25 s"
"${tool[@]}" conn -h 127.0.0.1 -p "$port" -c 1000 -R 500 --duration 25 >"$work/conn.txt" &
conn_pid=$!

echo "### sub: 100 subscribers on bench/1..bench/100 (QoS 1), ending after 10,000 messages"
"${tool[@]}" sub -h 127.0.0.1 -p "$port" -c 100 -t 'bench/%i' -q 1 -L 10000 --duration 30 >"$work/sub.txt" &
sub_pid=$!
sleep 3

echo "### pub: 100 publishers on bench/1..bench/100, 10 msg/s each (-I 100), QoS 1, 10,000 messages"
"${tool[@]}" pub -h 127.0.0.1 -p "$port" -c 100 -t 'bench/%i' -q 1 -I 100 -L 10000 -s 256
wait "$sub_pid"
echo "### sub output"
cat "$work/sub.txt"
wait "$conn_pid"
echo "### conn output (first and last lines)"
head -n 3 "$work/conn.txt"
echo "…"
tail -n 6 "$work/conn.txt"

echo "### conn --workers 2: 2000 connections in two child processes"
"${tool[@]}" conn -h 127.0.0.1 -p "$port" -c 2000 -R 1000 --duration 6 --workers 2
