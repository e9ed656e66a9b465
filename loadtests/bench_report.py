#!/usr/bin/env python3
"""Helper of loadtests/bench.sh: records trials as JSON lines and renders the "GrainMQ vs mosquitto" section.

  bench_report.py machine OUT.json MOSQUITTO_BIN SILO_DIR
  bench_report.py record-connect RESULTS.jsonl CONN.json key=value...
  bench_report.py record-pubsub RESULTS.jsonl PUB.json SUB.json key=value...
  bench_report.py render RESULTS.jsonl MACHINE.json OUT.md COMMAND ELAPSED_S SECONDS IDLE_WAIT_S

The section is written between BEGIN and END in OUT.md, under the heading HEADING; everything else in the file
is kept as it is. Medians are taken over the repetitions of each scenario.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HEADING = "## GrainMQ vs mosquitto"
BEGIN = "<!-- bench.sh:begin -->"
END = "<!-- bench.sh:end -->"


def run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def key_values(pairs):
    values = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        values[key] = value
    return values


def load_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read().strip()
        return json.loads(text.splitlines()[-1]) if text else {}
    except (OSError, ValueError, IndexError):
        return {}


def append(results, record):
    with open(results, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def machine(out, mosquitto_bin, silo_dir):
    model = ""
    for line in run(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    memory = ""
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    os_name = ""
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    runtimes = [line for line in run(["dotnet", "--list-runtimes"]).splitlines() if line.startswith("Microsoft.NETCore.App")]
    gc = {}
    config = os.path.join(silo_dir, "GrainMQ.Silo.runtimeconfig.json")
    if os.path.exists(config):
        with open(config, encoding="utf-8") as handle:
            properties = json.load(handle).get("runtimeOptions", {}).get("configProperties", {})
        gc = {k: v for k, v in properties.items() if k.startswith("System.GC.") or "Tiered" in k}
    mosquitto_version = run([mosquitto_bin, "-h"]).splitlines()
    info = {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "kernel": platform.release(),
        "os": os_name,
        "dotnet_sdk": run(["dotnet", "--version"]),
        "dotnet_runtime": runtimes[-1].split(" ")[1] if runtimes else "",
        "mosquitto": mosquitto_version[0] if mosquitto_version else "",
        "grainmq_runtime_config": gc,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(info, handle)


def record_connect(results, summary_path, pairs):
    values = key_values(pairs)
    summary = load_json(summary_path)
    counters = summary.get("counters", {})
    connect_latency = summary.get("connect_latency_us", {})
    connected = counters.get("connect_succ", 0)
    before, with_connections, idle = (number(values[k]) for k in ("rss_before_kb", "rss_connected_kb", "rss_idle_kb"))
    record = {
        "scenario": "connect",
        "broker": values["broker"],
        "variant": values["variant"],
        "rep": int(values["rep"]),
        "loadavg": values["loadavg"],
        "connected": connected,
        "failed": counters.get("connect_fail", 0),
        "connect_rate": summary.get("connect_rate"),
        "connect_seconds": number(values.get("connect_seconds")),
        "connect_p50_us": connect_latency.get("p50"),
        "connect_p99_us": connect_latency.get("p99"),
        "rss_before_kb": before,
        "rss_connected_kb": with_connections,
        "rss_idle_kb": idle,
        "rss_per_connection_b": (with_connections - before) * 1024 / connected if connected else None,
        "rss_per_idle_connection_b": (idle - before) * 1024 / connected if connected else None,
        "command": values.get("command", ""),
    }
    append(results, record)


def record_pubsub(results, pub_path, sub_path, pairs):
    values = key_values(pairs)
    pub, sub = load_json(pub_path), load_json(sub_path)
    latency = sub.get("latency_us", {})
    sent = pub.get("counters", {}).get("pub", 0)
    received = sub.get("counters", {}).get("recv", 0)
    wall = number(values.get("wall_seconds")) or 0
    cpu = number(values.get("cpu_seconds")) or 0
    record = {
        "scenario": values["scenario"],
        "broker": values["broker"],
        "rep": int(values["rep"]),
        "qos": int(values["qos"]),
        "loadavg": values["loadavg"],
        "sent": sent,
        "received": received,
        "subscribers": sub.get("counters", {}).get("sub", 0),
        "pub_rate": pub.get("pub_rate"),
        "delivered_rate": sub.get("recv_rate"),
        "p50_us": latency.get("p50"),
        "p99_us": latency.get("p99"),
        "p999_us": latency.get("p999"),
        "max_us": latency.get("max"),
        "pub_drops": pub.get("counters", {}).get("drop", 0),
        "errors": {**pub.get("errors", {}), **{"sub_" + k: v for k, v in sub.get("errors", {}).items()}},
        "broker_cpu_cores": cpu / wall if wall > 0 else None,
        "sub_command": values.get("sub_command", ""),
        "pub_command": values.get("pub_command", ""),
    }
    append(results, record)


def median(records, key):
    values = [r[key] for r in records if r.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(value, kind):
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:,.0f}"
    if kind == "us":
        return f"{value / 1000:,.2f} ms" if value >= 10_000 else f"{value:,.0f} µs"
    if kind == "kb":
        return f"{value / 1024:,.2f} KB"
    if kind == "mb":
        return f"{value / 1024:,.1f} MB"
    if kind == "pct":
        return f"{value:.1f} %"
    if kind == "cores":
        return f"{value:.2f}"
    if kind == "s":
        return f"{value:.1f} s"
    return str(value)


def ratio(ours, theirs):
    if ours is None or theirs in (None, 0):
        return "–"
    return f"{ours / theirs:.2f}×"


def loadavg_range(records):
    ones = [float(r["loadavg"].split()[0]) for r in records if r.get("loadavg")]
    return f"{min(ones):.1f}–{max(ones):.1f}" if ones else "–"


PUBSUB = [
    ("fixed-q0", "2. 1:1 topics `test/%i`, 1,000 publishers → 1,000 subscribers, 10,000 msg/s in all, QoS 0"),
    ("fixed-q1", "2. 1:1 topics `test/%i`, 1,000 publishers → 1,000 subscribers, 10,000 msg/s in all, QoS 1"),
    ("max-q0", "3. 1:1 topics `test/%i`, 100 publishers → 100 subscribers at full speed (200,000 msg/s offered), QoS 0"),
    ("max-q1", "3. 1:1 topics `test/%i`, 100 publishers → 100 subscribers at full speed (200,000 msg/s offered), QoS 1"),
    ("fanout-q0", "4. Fan-out: 1 publisher → 1,000 subscribers of `fan/all`, 50 msg/s (50,000 deliveries/s), QoS 0"),
    ("fanout-q1", "4. Fan-out: 1 publisher → 1,000 subscribers of `fan/all`, 50 msg/s (50,000 deliveries/s), QoS 1"),
    ("light-q0", "5. Light load: 100 publishers → 100 subscribers (1:1), 1,000 msg/s in all, QoS 0"),
    ("light-q1", "5. Light load: 100 publishers → 100 subscribers (1:1), 1,000 msg/s in all, QoS 1"),
]


def render_section(records, info, command, elapsed, seconds, idle_wait):
    lines = [BEGIN, ""]
    lines.append(f"_Written by `loadtests/bench.sh` on {info.get('date', '')}, in {int(elapsed) // 60} min {int(elapsed) % 60} s; "
                 "regenerate with the command below rather than editing by hand._")
    lines.append("")
    lines.append(f"**Command:** `{command}` (from the repository root; it builds what it runs).")
    lines.append("")
    lines.append(f"**Machine:** {info.get('cpu', '?')}, {info.get('cores', '?')} cores, {info.get('memory', '?')}, "
                 f"Linux {info.get('kernel', '?')} ({info.get('os', '?')}); .NET SDK {info.get('dotnet_sdk', '?')}, "
                 f"runtime {info.get('dotnet_runtime', '?')}; {info.get('mosquitto', '?')} (Debian package). "
                 f"GrainMQ runtime settings: `{json.dumps(info.get('grainmq_runtime_config', {}), sort_keys=True)}`. "
                 "The machine is shared with other builds: each trial's 1-minute load average is in the raw results below.")
    lines.append("")
    lines.append("**Brokers:** mosquitto with its own config (`listener PORT 127.0.0.1`, `allow_anonymous true`, "
                 "`max_connections -1`, `max_inflight_messages 32`, `max_queued_messages 1000`, `persistence false`, "
                 "`sys_interval 0`, `set_tcp_nodelay true`, warnings and errors logged); GrainMQ "
                 "`dotnet Silo/bin/Release/net10.0/GrainMQ.Silo.dll --Mqtt:Host 127.0.0.1 --Mqtt:Tcp:Port PORT "
                 "--Mqtt:WebSocket:Enabled false --Sys:Enabled false --Http:Port 0 --Session:IdleTimeout T "
                 "--Logging:LogLevel:Default Warning` (defaults otherwise: 32 in flight, 1,000 queued per client). "
                 "`ulimit -n` at its hard limit for both. `lg` is `dotnet loadtests/LoadGen/bin/Release/net10.0/GrainMQ.LoadGen.dll`; "
                 "MQTT 5, 256-byte payloads; latency is publish → receive measured by the subscriber.")
    lines.append("")

    # Scenario 1.
    connect = [r for r in records if r["scenario"] == "connect"]
    variants = [("grainmq", "hibernation-on", "GrainMQ, hibernation on (idle timeout 5 s)"),
                ("grainmq", "hibernation-off", "GrainMQ, hibernation off (idle timeout 1 day)"),
                ("mosquitto", "default", "mosquitto")]
    groups = {v: [r for r in connect if (r["broker"], r["variant"]) == v[:2]] for v in variants}
    if connect:
        sample = connect[0]
        lines.append(f"### 1. Connect {sample['connected'] + sample['failed']:,} clients")
        lines.append("")
        lines.append(f"`{sample['command']}` (5,000 connects/s offered), held, on a fresh broker warmed up by 2,000 clients that connected and left; RSS (`VmRSS`) read before, 2 s after the last "
                     f"CONNACK, and {idle_wait} s later (\"after the idle timeout\": GrainMQ's hibernating sessions have "
                     "been deactivated by then). Per connection = (RSS then − RSS before) / clients connected. "
                     f"Medians of {max(len(g) for g in groups.values())} fresh-broker trials per column; load average "
                     f"{loadavg_range(connect)}.")
        lines.append("")
        lines.append("| | GrainMQ hibernation on | GrainMQ hibernation off | mosquitto | ratio on / mosquitto | ratio off / mosquitto |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        rows = [("connected", "connected", "rate"), ("connect rate (/s)", "connect_rate", "rate"),
                ("connect → CONNACK p50", "connect_p50_us", "us"), ("connect → CONNACK p99", "connect_p99_us", "us"),
                ("RSS before", "rss_before_kb", "mb"), ("RSS per connection", "rss_per_connection_b", "kb"),
                ("RSS per idle connection (after the idle timeout)", "rss_per_idle_connection_b", "kb")]
        for label, key, kind in rows:
            on, off, mosquitto = (median(groups[v], key) for v in variants)
            cells = [fmt(x, kind) for x in (on, off, mosquitto)]
            lines.append(f"| {label} | {cells[0]} | {cells[1]} | {cells[2]} | {ratio(on, mosquitto)} | {ratio(off, mosquitto)} |")
        lines.append("")

    # Scenarios 2-5.
    for scenario, title in PUBSUB:
        rows = [r for r in records if r["scenario"] == scenario]
        if not rows:
            continue
        ours = [r for r in rows if r["broker"] == "grainmq"]
        theirs = [r for r in rows if r["broker"] == "mosquitto"]
        lines.append(f"### {title}")
        lines.append("")
        lines.append(f"`{rows[0]['sub_command']}` then `{rows[0]['pub_command']}`. Medians of {len(ours)} trials per broker "
                     f"(alternating which broker goes first); load average {loadavg_range(rows)}.")
        lines.append("")
        lines.append("| | GrainMQ | mosquitto | ratio GrainMQ / mosquitto |")
        lines.append("| --- | ---: | ---: | ---: |")
        for label, key, kind in [("delivered msg/s", "delivered_rate", "rate"), ("published msg/s", "pub_rate", "rate"),
                                 ("latency p50", "p50_us", "us"), ("latency p99", "p99_us", "us"),
                                 ("latency p99.9", "p999_us", "us"), ("broker CPU (cores)", "broker_cpu_cores", "cores")]:
            a, b = median(ours, key), median(theirs, key)
            lines.append(f"| {label} | {fmt(a, kind)} | {fmt(b, kind)} | {ratio(a, b)} |")
        a = median([dict(r, pct=100 * r["received"] / max(1, r["sent"] * (1000 if scenario.startswith("fanout") else 1))) for r in ours], "pct")
        b = median([dict(r, pct=100 * r["received"] / max(1, r["sent"] * (1000 if scenario.startswith("fanout") else 1))) for r in theirs], "pct")
        lines.append(f"| delivered / expected | {fmt(a, 'pct')} | {fmt(b, 'pct')} | |")
        lines.append("")

    # Targets.
    lines.append("### Targets")
    lines.append("")
    lines.append("| target | GrainMQ | mosquitto | verdict |")
    lines.append("| --- | ---: | ---: | --- |")
    for scenario in ("fixed-q0", "fixed-q1", "max-q0", "max-q1"):
        rows = [r for r in records if r["scenario"] == scenario]
        if not rows:
            continue
        ours = [r for r in rows if r["broker"] == "grainmq"]
        theirs = [r for r in rows if r["broker"] == "mosquitto"]
        a, b = median(ours, "delivered_rate"), median(theirs, "delivered_rate")
        if a is not None and b:
            # At a fixed offered rate neither broker can deliver more than its publishers sent: when GrainMQ delivered
            # every message published to it, a lower rate is the publishers' timing, not the broker's shortfall.
            complete = median([dict(r, pct=100 * r["received"] / max(1, r["sent"])) for r in ours], "pct") >= 99.95
            if a >= b:
                verdict = "met"
            elif complete:
                verdict = "met: every published message was delivered, the publishers sent fewer"
            else:
                verdict = f"not met: {100 * (1 - a / b):.1f} % short"
            lines.append(f"| {scenario}: delivered msg/s ≥ 1.0× mosquitto | {fmt(a, 'rate')} | {fmt(b, 'rate')} | {verdict} ({a / b:.2f}×) |")
        a, b = median(ours, "p99_us"), median(theirs, "p99_us")
        if a is not None and b:
            verdict = "met" if a <= b else f"not met: {a / b:.1f}× mosquitto's"
            lines.append(f"| {scenario}: p99 latency ≤ mosquitto's | {fmt(a, 'us')} | {fmt(b, 'us')} | {verdict} |")
    idle = median(groups.get(variants[0], []), "rss_per_idle_connection_b") if connect else None
    if idle is not None:
        verdict = "met" if idle <= 2048 else f"not met: {idle / 2048:.1f}× the target"
        mosquitto_idle = median(groups[variants[2]], "rss_per_idle_connection_b")
        lines.append(f"| RSS per idle connection ≤ 2 KB (hibernation on) | {fmt(idle, 'kb')} | {fmt(mosquitto_idle, 'kb')} | {verdict} |")
    lines.append("")

    # Raw trials.
    lines.append("<details><summary>Every trial (with the load average when it started)</summary>")
    lines.append("")
    lines.append("| scenario | broker | trial | load average | delivered msg/s | p50 | p99 | broker CPU | connect rate | RSS/conn | RSS/idle conn |")
    lines.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in records:
        name = r["scenario"] + ("" if r["scenario"] != "connect" else f" ({r['variant']})")
        lines.append(f"| {name} | {r['broker']} | {r['rep']} | {r['loadavg']} | {fmt(r.get('delivered_rate'), 'rate')} | "
                     f"{fmt(r.get('p50_us'), 'us')} | {fmt(r.get('p99_us'), 'us')} | {fmt(r.get('broker_cpu_cores'), 'cores')} | "
                     f"{fmt(r.get('connect_rate'), 'rate')} | {fmt(r.get('rss_per_connection_b'), 'kb')} | "
                     f"{fmt(r.get('rss_per_idle_connection_b'), 'kb')} |")
    lines.append("")
    lines.append("</details>")
    lines.append("")
    lines.append(END)
    return "\n".join(lines)


def splice(path, section):
    text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    if BEGIN in text and END in text:
        start, stop = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + section + text[stop:]
    else:
        if not text:
            text = "# Benchmarks\n"
        if HEADING not in text:
            text = text.rstrip("\n") + f"\n\n{HEADING}\n\n" + section + "\n"
        else:
            heading_end = text.index(HEADING) + len(HEADING)
            text = text[:heading_end] + "\n\n" + section + "\n" + text[heading_end:]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def render(results, machine_path, out, command, elapsed, seconds, idle_wait):
    with open(results, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    info = load_json(machine_path)
    splice(out, render_section(records, info, command, float(elapsed), seconds, idle_wait))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    verb = argv[1]
    if verb == "machine":
        machine(argv[2], argv[3], argv[4])
    elif verb == "record-connect":
        record_connect(argv[2], argv[3], argv[4:])
    elif verb == "record-pubsub":
        record_pubsub(argv[2], argv[3], argv[4], argv[5:])
    elif verb == "render":
        render(*argv[2:9])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
