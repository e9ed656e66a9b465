using GrainMQ.Observability.Metrics;
using GrainMQ.Runtime.Diagnostics;

namespace GrainMQ.Observability.Dashboard;

/// <summary>
/// Turns two consecutive <see cref="MetricsSnapshot"/>s into a <see cref="DashboardFrame"/>: totals from the newer one,
/// rates from the difference, call latency from the difference of the histograms (so "average" and "p99" describe
/// the last interval, not the whole run). Reads the snapshot by Prometheus names, as a scraper would.
/// </summary>
internal sealed class DashboardFrameBuilder(string silo, string version)
{
    private const string CallDuration = "grainmq_grain_call_duration_seconds";
    private const string Calls = "grainmq_grain_calls_total";
    private const string CallErrors = "grainmq_grain_call_errors_total";
    private const int MaxMethods = 25;

    public DashboardFrame Build(MetricsSnapshot? previous, MetricsSnapshot current, long uptimeSeconds)
    {
        var rates = new Rates(previous, current);
        var overview = new OverviewFigures(
            (long)current.Sum("grainmq_connections"),
            (long)current.Sum("grainmq_clients_connected"),
            (long)current.Sum("grainmq_sessions", "state", "live"),
            (long)current.Sum("grainmq_sessions", "state", "hibernated"),
            rates.Of("grainmq_messages_received_total"),
            rates.Of("grainmq_messages_sent_total"),
            rates.Of("grainmq_messages_dropped_total"),
            (long)current.Sum("grainmq_messages_received_total"),
            (long)current.Sum("grainmq_messages_sent_total"),
            (long)current.Sum("grainmq_messages_dropped_total"),
            rates.Of("grainmq_received_bytes_total"),
            rates.Of("grainmq_sent_bytes_total"),
            (long)current.Sum("grainmq_retained_messages"),
            (long)current.Sum("grainmq_subscriptions"));

        return new DashboardFrame(
            current.CollectedAt.ToUnixTimeMilliseconds(),
            silo,
            version,
            uptimeSeconds,
            overview,
            Drops(current, rates),
            Listeners(current, rates),
            [Silo(current, rates)],
            Scheduler(current, rates),
            GrainTypes(previous, current, rates),
            Methods(previous, current, rates));
    }

    private static List<DropFigures> Drops(MetricsSnapshot current, Rates rates)
    {
        var drops = new List<DropFigures>();
        foreach (var sample in Samples(current, "grainmq_messages_dropped_total"))
        {
            var reason = sample.Label("reason") ?? "";
            drops.Add(new DropFigures(reason, (long)sample.Value, rates.Of("grainmq_messages_dropped_total", "reason", reason)));
        }

        return drops;
    }

    private static List<ListenerFigures> Listeners(MetricsSnapshot current, Rates rates)
    {
        var listeners = new List<ListenerFigures>();
        foreach (var sample in Samples(current, "grainmq_connections"))
        {
            var listener = sample.Label(BrokerMeter.ListenerTag) ?? "";
            listeners.Add(new ListenerFigures(
                sample.Label(BrokerMeter.GatewayTag) ?? "",
                listener,
                (long)sample.Value,
                (long)current.Sum("grainmq_connections_opened_total", BrokerMeter.ListenerTag, listener),
                rates.Of("grainmq_received_bytes_total", BrokerMeter.ListenerTag, listener),
                rates.Of("grainmq_sent_bytes_total", BrokerMeter.ListenerTag, listener),
                rates.Of("grainmq_packets_received_total", BrokerMeter.ListenerTag, listener),
                rates.Of("grainmq_packets_sent_total", BrokerMeter.ListenerTag, listener)));
        }

        return listeners;
    }

    private SiloFigures Silo(MetricsSnapshot current, Rates rates) => new(
        silo,
        rates.Of("dotnet_process_cpu_time_seconds_total") * 100 / Math.Max(1, Environment.ProcessorCount),
        (long)current.Sum("dotnet_process_memory_working_set_bytes"),
        (long)current.Sum("dotnet_gc_last_collection_heap_size_bytes"),
        rates.Of("dotnet_gc_collections_total"),
        rates.Of("dotnet_gc_heap_total_allocated_bytes_total"),
        (long)(current.Sum("dotnet_thread_pool_thread_count") + current.Sum("dotnet_thread_pool_thread_count_total")),
        (long)(current.Sum("dotnet_thread_pool_queue_length") + current.Sum("dotnet_thread_pool_queue_length_total")),
        (long)current.Sum("grainmq_grain_active"),
        (long)current.Sum("grainmq_connections"));

    private static SchedulerFigures Scheduler(MetricsSnapshot current, Rates rates)
    {
        var budget = Samples(current, "grainmq_cpu_budget");
        var hasThrottling = current.Find("grainmq_cgroup_cpu_periods_total") is { Samples.Count: > 0 };
        return new SchedulerFigures(
            (long)current.Sum("grainmq_scheduler_workers"),
            (long)current.Sum("grainmq_scheduler_queue_length"),
            budget.Count > 0 ? budget[0].Value : null,
            budget.Count > 0 ? budget[0].Label("source") : null,
            Optional(current, "grainmq_cgroup_cpu_quota"),
            (long?)Optional(current, "grainmq_cgroup_memory_limit_bytes"),
            hasThrottling ? (long)current.Sum("grainmq_cgroup_cpu_periods_total") : null,
            hasThrottling ? (long)current.Sum("grainmq_cgroup_cpu_throttled_periods_total") : null,
            hasThrottling ? current.Sum("grainmq_cgroup_cpu_throttled_time_seconds_total") : null,
            hasThrottling ? rates.Of("grainmq_cgroup_cpu_throttled_time_seconds_total") : null,
            (long?)Optional(current, "grainmq_thread_pool_limit", "bound", "min", "kind", "worker"),
            (long?)Optional(current, "grainmq_thread_pool_limit", "bound", "max", "kind", "worker"));
    }

    private static List<GrainTypeFigures> GrainTypes(MetricsSnapshot? previous, MetricsSnapshot current, Rates rates)
    {
        const string Tag = RuntimeMeter.GrainTypeTag;
        var types = new List<GrainTypeFigures>();
        foreach (var sample in Samples(current, "grainmq_grain_active"))
        {
            var type = sample.Label(Tag) ?? "";
            var calls = LatencyWindow.Of(previous, current, CallDuration, type, method: null);
            types.Add(new GrainTypeFigures(
                type,
                (long)sample.Value,
                (long)current.Sum("grainmq_grain_activations_total", Tag, type),
                (long)current.Sum("grainmq_grain_deactivations_total", Tag, type),
                rates.Of("grainmq_grain_messages_total", Tag, type),
                rates.Of(Calls, Tag, type),
                calls.AverageMs,
                calls.P99Ms,
                (long)current.Sum(CallErrors, Tag, type),
                rates.Of(CallErrors, Tag, type)));
        }

        return types;
    }

    private static List<MethodFigures> Methods(MetricsSnapshot? previous, MetricsSnapshot current, Rates rates)
    {
        var methods = new List<MethodFigures>();
        foreach (var sample in Samples(current, Calls))
        {
            var type = sample.Label(RuntimeMeter.GrainTypeTag) ?? "";
            var method = sample.Label(RuntimeMeter.MethodTag) ?? "";
            var window = LatencyWindow.Of(previous, current, CallDuration, type, method);
            methods.Add(new MethodFigures(
                type,
                method,
                (long)sample.Value,
                rates.OfCall(Calls, type, method),
                window.AverageMs,
                window.P99Ms,
                (long)Value(current, CallErrors, type, method)));
        }

        methods.Sort(static (a, b) => b.CallsRate != a.CallsRate ? b.CallsRate.CompareTo(a.CallsRate) : b.Calls.CompareTo(a.Calls));
        if (methods.Count > MaxMethods)
        {
            methods.RemoveRange(MaxMethods, methods.Count - MaxMethods);
        }

        return methods;
    }

    private static double Value(MetricsSnapshot snapshot, string name, string type, string method)
    {
        foreach (var sample in Samples(snapshot, name))
        {
            if (sample.Label(RuntimeMeter.GrainTypeTag) == type && sample.Label(RuntimeMeter.MethodTag) == method)
            {
                return sample.Value;
            }
        }

        return 0;
    }

    private static double? Optional(MetricsSnapshot snapshot, string name, params string[] labels)
    {
        foreach (var sample in Samples(snapshot, name))
        {
            var matches = true;
            for (var i = 0; i + 1 < labels.Length; i += 2)
            {
                matches &= sample.Label(labels[i]) == labels[i + 1];
            }

            if (matches)
            {
                return sample.Value;
            }
        }

        return null;
    }

    private static List<MetricSample> Samples(MetricsSnapshot snapshot, string name) => snapshot.Find(name)?.Samples ?? [];

    /// <summary>Per-second rates of counters between the two snapshots (0 for the first frame or a counter reset).</summary>
    private readonly struct Rates(MetricsSnapshot? previous, MetricsSnapshot current)
    {
        public double Seconds { get; } = previous is null
            ? 1
            : Math.Max(0.001, (current.CollectedAt - previous.CollectedAt).TotalSeconds);

        public double Of(string name, string? label = null, string? value = null) =>
            previous is null ? 0 : Math.Max(0, current.Sum(name, label, value) - previous.Sum(name, label, value)) / Seconds;

        public double OfCall(string name, string type, string method) =>
            previous is null ? 0 : Math.Max(0, Value(current, name, type, method) - Value(previous, name, type, method)) / Seconds;
    }
}
