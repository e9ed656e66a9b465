// GrainMQ dashboard: one server-sent event stream (/api/stream) brings a frame per sample; the clients and topics
// tabs ask the JSON API while they are open. No framework, no external resources; every value is written with
// textContent (client ids and topics come from the network).
"use strict";

(() => {
  const HISTORY = 120;
  const SMOOTHING = 5;
  const $ = (id) => document.getElementById(id);

  // ---------- formatting ----------
  const nf = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
  function count(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return "—";
    const a = Math.abs(v);
    if (a >= 1e9) return nf.format(v / 1e9) + "G";
    if (a >= 1e6) return nf.format(v / 1e6) + "M";
    if (a >= 1e4) return nf.format(v / 1e3) + "k";
    return a >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString("en-US") : nf.format(v);
  }
  function bytes(v) {
    if (v === null || v === undefined) return "—";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? Math.round(v) : nf.format(v)) + " " + units[i];
  }
  function ms(v) {
    if (!v) return "—";
    return v >= 100 ? Math.round(v).toString() : v >= 1 ? v.toFixed(1) : v.toFixed(3);
  }
  function duration(seconds) {
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
  }

  // ---------- DOM helpers ----------
  function cell(text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  }
  function fillTable(id, rows, columns, empty, onRow) {
    const body = $(id).tBodies[0];
    const fragment = document.createDocumentFragment();
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      const td = cell(empty, "empty");
      td.colSpan = columns.length;
      tr.appendChild(td);
      fragment.appendChild(tr);
    }
    for (const row of rows) {
      const tr = document.createElement("tr");
      for (const column of columns) {
        const value = column.value(row);
        if (value instanceof Node) {
          const td = document.createElement("td");
          td.appendChild(value);
          tr.appendChild(td);
        } else {
          tr.appendChild(cell(value, column.num ? "num" : ""));
        }
      }
      if (onRow) onRow(tr, row);
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
  }
  function badge(state) {
    const span = document.createElement("span");
    span.className = "state " + state;
    span.textContent = state;
    return span;
  }
  function facts(id, pairs) {
    const dl = $(id);
    const fragment = document.createDocumentFragment();
    for (const [name, value] of pairs) {
      const div = document.createElement("div");
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = name;
      dd.textContent = value;
      div.append(dt, dd);
      fragment.appendChild(div);
    }
    dl.replaceChildren(fragment);
  }
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

  // ---------- line chart on a canvas ----------
  class LineChart {
    constructor(canvas, series, integer) {
      this.canvas = canvas;
      this.series = series; // [{ key, color, fill?, dash? }]
      this.integer = integer;
      this.points = [];
      new ResizeObserver(() => this.draw()).observe(canvas);
    }
    set(points) { this.points = points.slice(-HISTORY); this.draw(); }
    // The mean of the last few samples of one series: the figures above the charts move less than the raw samples.
    recent(key) {
      const last = this.points.slice(-SMOOTHING);
      return last.length === 0 ? 0 : last.reduce((sum, p) => sum + (p[key] || 0), 0) / last.length;
    }
    push(point) {
      const last = this.points[this.points.length - 1];
      if (last && last.time >= point.time) return; // the stream's first frame is also the history's last point
      this.points.push(point);
      if (this.points.length > HISTORY) this.points.shift();
      this.draw();
    }
    draw() {
      const canvas = this.canvas;
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth, height = canvas.clientHeight;
      if (width === 0 || height === 0) return;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      const g = canvas.getContext("2d");
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      const left = 46, right = 8, top = 8, bottom = 20;
      const plotW = width - left - right, plotH = height - top - bottom;
      let max = 0;
      for (const p of this.points) for (const s of this.series) max = Math.max(max, p[s.key] || 0);
      max = niceMax(max, this.integer);
      g.font = "11px system-ui, sans-serif";
      g.fillStyle = css("--muted");
      g.strokeStyle = css("--line");
      g.lineWidth = 1;
      for (let i = 0; i <= 4; i++) {
        const y = top + plotH - plotH * i / 4;
        g.beginPath();
        g.moveTo(left, Math.round(y) + 0.5);
        g.lineTo(left + plotW, Math.round(y) + 0.5);
        g.stroke();
        g.textAlign = "right";
        g.textBaseline = "middle";
        g.fillText(count(max * i / 4), left - 6, y);
      }
      g.textAlign = "left";
      g.textBaseline = "alphabetic";
      g.fillText(this.points.length > 1 ? `last ${duration(Math.round((this.points[this.points.length - 1].time - this.points[0].time) / 1000))}` : "waiting for data", left, height - 4);
      if (this.points.length < 2) return;
      const t0 = this.points[0].time, t1 = this.points[this.points.length - 1].time;
      const x = (t) => left + (t1 === t0 ? plotW : plotW * (t - t0) / (t1 - t0));
      const y = (v) => top + plotH - plotH * (v || 0) / max;
      for (const s of this.series) {
        const color = css(s.color);
        g.strokeStyle = color;
        g.lineWidth = 2;
        g.lineJoin = "round";
        g.setLineDash(s.dash || []);
        g.beginPath();
        this.points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.time), y(p[s.key])) : g.lineTo(x(p.time), y(p[s.key]))));
        g.stroke();
        g.setLineDash([]);
        if (s.fill) {
          g.lineTo(x(t1), top + plotH);
          g.lineTo(x(t0), top + plotH);
          g.closePath();
          g.fillStyle = color + "22";
          g.fill();
        }
      }
      const last = this.points[this.points.length - 1];
      for (const s of this.series) canvas.dataset[s.key] = String(last[s.key] ?? 0);
      canvas.dataset.points = String(this.points.length);
    }
  }
  // The top of the y axis: four gridline steps of a round size (1, 2, 2.5 or 5 × 10^k; at least 1 for counts).
  function niceMax(v, integer) {
    const quarter = Math.max(v, 4) / 4;
    const power = Math.pow(10, Math.floor(Math.log10(quarter)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= quarter && (!integer || Number.isInteger(step * power))) return 4 * step * power;
    }
    return 40 * power;
  }

  const rateChart = new LineChart($("chart-rate"), [
    { key: "messagesInRate", color: "--in", fill: true },
    { key: "messagesOutRate", color: "--out", dash: [6, 4] },
    { key: "droppedRate", color: "--drop" },
  ]);
  const sessionChart = new LineChart($("chart-sessions"), [
    { key: "sessionsLive", color: "--live", fill: true },
    { key: "sessionsHibernated", color: "--hib", dash: [6, 4] },
    { key: "connections", color: "--conn" },
  ], true);

  // ---------- frames ----------
  function render(frame) {
    const o = frame.overview;
    $("silo-name").textContent = frame.silo;
    $("version").textContent = frame.version;
    $("uptime").textContent = "uptime " + duration(frame.uptimeSeconds);
    rateChart.push({ time: frame.time, messagesInRate: o.messagesInRate, messagesOutRate: o.messagesOutRate, droppedRate: o.droppedRate });
    sessionChart.push({ time: frame.time, sessionsLive: o.sessionsLive, sessionsHibernated: o.sessionsHibernated, connections: o.connections });
    $("k-connections").textContent = count(o.connections);
    $("k-in").textContent = count(rateChart.recent("messagesInRate"));
    $("k-in-total").textContent = count(o.messagesReceived) + " total";
    $("k-out").textContent = count(rateChart.recent("messagesOutRate"));
    $("k-out-total").textContent = count(o.messagesSent) + " total";
    $("k-drop").textContent = count(rateChart.recent("droppedRate"));
    $("k-drop-total").textContent = count(o.messagesDropped) + " total";
    $("k-live").textContent = count(o.sessionsLive);
    $("k-hib").textContent = count(o.sessionsHibernated);
    $("k-retained").textContent = count(o.retained);
    $("k-subs").textContent = count(o.subscriptions);

    fillTable("t-drops", frame.drops, [
      { value: (d) => d.reason.replaceAll("_", " ") },
      { value: (d) => count(d.total), num: true },
      { value: (d) => count(d.rate), num: true },
    ], "no drops");
    fillTable("t-silos", frame.silos, [
      { value: (s) => s.name },
      { value: (s) => nf.format(s.cpuPercent) + " %", num: true },
      { value: (s) => bytes(s.workingSetBytes), num: true },
      { value: (s) => bytes(s.gcHeapBytes), num: true },
      { value: (s) => count(s.gcCollectionsRate), num: true },
      { value: (s) => bytes(s.allocationRate) + "/s", num: true },
      { value: (s) => count(s.threadPoolThreads), num: true },
      { value: (s) => count(s.threadPoolQueue), num: true },
      { value: (s) => count(s.activations), num: true },
      { value: (s) => count(s.connections), num: true },
    ], "no silo");
    fillTable("t-listeners", frame.listeners, [
      { value: (l) => l.gateway },
      { value: (l) => l.listener },
      { value: (l) => count(l.connections), num: true },
      { value: (l) => count(l.opened), num: true },
      { value: (l) => count(l.packetsInRate), num: true },
      { value: (l) => count(l.packetsOutRate), num: true },
      { value: (l) => bytes(l.bytesInRate) + "/s", num: true },
      { value: (l) => bytes(l.bytesOutRate) + "/s", num: true },
    ], "no listener");
    fillTable("t-types", frame.grainTypes, [
      { value: (t) => t.type },
      { value: (t) => count(t.active), num: true },
      { value: (t) => count(t.activations), num: true },
      { value: (t) => count(t.deactivations), num: true },
      { value: (t) => count(t.messagesRate), num: true },
      { value: (t) => count(t.callsRate), num: true },
      { value: (t) => ms(t.averageMs), num: true },
      { value: (t) => ms(t.p99Ms), num: true },
      { value: (t) => count(t.errors), num: true },
    ], "no grain type");
    fillTable("t-methods", frame.methods, [
      { value: (m) => m.type },
      { value: (m) => m.method },
      { value: (m) => count(m.callsRate), num: true },
      { value: (m) => ms(m.averageMs), num: true },
      { value: (m) => ms(m.p99Ms), num: true },
      { value: (m) => count(m.calls), num: true },
      { value: (m) => count(m.errors), num: true },
    ], "no grain calls yet");

    const s = frame.scheduler;
    $("s-workers").textContent = count(s.workers);
    $("s-queue").textContent = count(s.queueLength);
    $("s-budget").textContent = s.cpuBudget == null ? "—" : nf.format(s.cpuBudget) + " CPU";
    $("s-source").textContent = s.budgetSource ? "from " + s.budgetSource : "";
    $("s-throttled").textContent = s.throttledSecondsRate == null ? "—" : nf.format(s.throttledSecondsRate * 1000) + " ms";
    facts("s-facts", [
      ["CFS quota", s.quotaCpus == null ? "none" : nf.format(s.quotaCpus) + " CPU"],
      ["Memory limit", s.memoryLimitBytes == null ? "none" : bytes(s.memoryLimitBytes)],
      ["CFS periods", s.periods == null ? "not read" : count(s.periods)],
      ["Throttled periods", s.throttledPeriods == null ? "not read" : count(s.throttledPeriods)],
      ["Throttled time", s.throttledSeconds == null ? "not read" : nf.format(s.throttledSeconds) + " s"],
      ["Thread pool workers", s.threadPoolMinWorkers == null ? ".NET defaults" : `${s.threadPoolMinWorkers} – ${s.threadPoolMaxWorkers}`],
    ]);
  }

  function connect() {
    const source = new EventSource("api/stream");
    source.addEventListener("history", (event) => {
      const points = JSON.parse(event.data);
      rateChart.set(points);
      sessionChart.set(points);
    });
    source.addEventListener("frame", (event) => {
      setLive(true);
      render(JSON.parse(event.data));
    });
    source.onerror = () => setLive(false);
  }
  function setLive(on) {
    $("live-dot").className = "live-dot " + (on ? "on" : "off");
    $("live-text").textContent = on ? "live" : "reconnecting…";
  }

  // ---------- clients ----------
  let selectedClient = null;
  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }
  async function refreshClients() {
    const query = $("client-search").value.trim();
    try {
      const clients = await getJson("api/clients?q=" + encodeURIComponent(query));
      fillTable("t-clients", clients, [
        { value: (c) => c.clientId },
        { value: (c) => badge(c.state) },
      ], query ? "no client matches" : "no client connected", (tr, c) => {
        tr.classList.add("clickable");
        tr.dataset.clientId = c.clientId;
        if (c.clientId === selectedClient) tr.classList.add("selected");
        tr.addEventListener("click", () => showClient(c.clientId));
      });
      $("clients-hint").textContent = clients.length >= 50 ? "Showing the first 50; refine the search." : "Connected clients and sessions in memory. Type an exact client id to look up an offline session.";
    } catch (error) {
      $("clients-hint").textContent = "Could not load clients: " + error.message;
    }
  }
  async function showClient(clientId) {
    selectedClient = clientId;
    try {
      const details = await getJson("api/clients/" + encodeURIComponent(clientId));
      const s = details.session;
      $("client-detail").classList.remove("hidden");
      $("client-title").textContent = "Session " + clientId;
      facts("client-facts", [
        ["State", s.exists ? details.state : "no session"],
        ["Protocol", s.exists ? ({ 3: "MQTT 3.1", 4: "MQTT 3.1.1", 5: "MQTT 5" }[protocolLevel(s.protocolVersion)] || String(s.protocolVersion)) : "—"],
        ["Session expiry", s.sessionExpiryInterval === 4294967295 ? "never" : s.sessionExpiryInterval + " s"],
        ["Queued messages", count(s.queuedMessages)],
        ["Inflight messages", count(s.inflightMessages)],
        ["Awaiting PUBREL", count(s.awaitingRelease)],
        ["Will", s.hasWill ? "set" : "none"],
        ["Disconnected at", s.disconnectedAtUnixMs ? new Date(s.disconnectedAtUnixMs).toLocaleString() : "—"],
      ]);
      fillTable("t-client-subs", s.subscriptions, [
        { value: (x) => x.filter },
        { value: (x) => String(qosLevel(x.qoS ?? x.qos)), num: true },
        { value: (x) => [x.noLocal ? "no-local" : "", x.retainAsPublished ? "retain-as-published" : "", x.subscriptionIdentifier ? "id " + x.subscriptionIdentifier : ""].filter(Boolean).join(", ") || "—" },
      ], "no subscriptions");
      for (const tr of $("t-clients").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.clientId === clientId);
    } catch (error) {
      $("clients-hint").textContent = "Could not load the session: " + error.message;
    }
  }
  function protocolLevel(v) { return typeof v === "number" ? v : ({ V310: 3, V311: 4, V500: 5 }[v] || v); }
  function qosLevel(v) { return typeof v === "number" ? v : ({ AtMostOnce: 0, AtLeastOnce: 1, ExactlyOnce: 2 }[v] ?? v); }

  // ---------- topics ----------
  async function refreshTopics() {
    const query = $("topic-search").value.trim();
    try {
      const topics = await getJson("api/topics?q=" + encodeURIComponent(query));
      $("topics-subs").textContent = count(topics.subscriptions);
      $("topics-retained").textContent = count(topics.retained);
      fillTable("t-topics", topics.filters, [
        { value: (f) => f.filter },
        { value: (f) => count(f.subscribers), num: true },
      ], query ? "no filter matches" : "no subscriptions");
      $("topics-hint").textContent = topics.truncated ? "Only the first filters of the index are listed." : "";
    } catch (error) {
      $("topics-hint").textContent = "Could not load topics: " + error.message;
    }
  }

  // ---------- tabs ----------
  let tab = "overview";
  let poll = null;
  function showTab(name) {
    if (!document.getElementById(name) || !document.querySelector(`[data-tab="${name}"]`)) name = "overview";
    tab = name;
    for (const link of document.querySelectorAll("#tabs a")) link.classList.toggle("active", link.dataset.tab === name);
    for (const panel of document.querySelectorAll("main > section")) panel.classList.toggle("hidden", panel.id !== name);
    clearInterval(poll);
    poll = null;
    if (name === "clients") { refreshClients(); poll = setInterval(refreshClients, 2000); }
    if (name === "topics") { refreshTopics(); poll = setInterval(refreshTopics, 3000); }
    rateChart.draw();
    sessionChart.draw();
  }
  window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));
  let searchTimer = null;
  $("client-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const query = $("client-search").value.trim();
      refreshClients().then(() => {
        const rows = [...$("t-clients").tBodies[0].rows].filter((tr) => tr.dataset.clientId);
        if (query && (rows.length === 0 || rows.some((tr) => tr.dataset.clientId === query))) showClient(query);
      });
    }, 250);
  });
  $("topic-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(refreshTopics, 250); });

  fetch("api/overview").then((response) => {
    if (response.status === 503) {
      $("banner").textContent = "Metrics are disabled on this broker (Metrics:Enabled=false): live figures are not available; clients and topics are.";
      $("banner").classList.remove("hidden");
      return;
    }
    connect();
  }).catch(() => setLive(false));
  showTab(location.hash.slice(1) || "overview");
})();
