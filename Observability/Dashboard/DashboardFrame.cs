namespace GrainMQ.Observability.Dashboard;

// What the dashboard receives every sample (JSON, camelCase). Rates are per second over the last sample interval.

/// <summary>One sample of everything the dashboard shows.</summary>
public sealed record DashboardFrame(
    long Time,
    string Silo,
    string Version,
    long UptimeSeconds,
    OverviewFigures Overview,
    IReadOnlyList<DropFigures> Drops,
    IReadOnlyList<ListenerFigures> Listeners,
    IReadOnlyList<SiloFigures> Silos,
    SchedulerFigures Scheduler,
    IReadOnlyList<GrainTypeFigures> GrainTypes,
    IReadOnlyList<MethodFigures> Methods);

/// <summary>The headline numbers.</summary>
public sealed record OverviewFigures(
    long Connections,
    long ClientsConnected,
    long SessionsLive,
    long SessionsHibernated,
    double MessagesInRate,
    double MessagesOutRate,
    double DroppedRate,
    long MessagesReceived,
    long MessagesSent,
    long MessagesDropped,
    double BytesInRate,
    double BytesOutRate,
    long Retained,
    long Subscriptions);

/// <summary>Drops of one reason.</summary>
public sealed record DropFigures(string Reason, long Total, double Rate);

/// <summary>One gateway listener.</summary>
public sealed record ListenerFigures(string Gateway, string Listener, long Connections, long Opened, double BytesInRate, double BytesOutRate, double PacketsInRate, double PacketsOutRate);

/// <summary>One silo process.</summary>
public sealed record SiloFigures(
    string Name,
    double CpuPercent,
    long WorkingSetBytes,
    long GcHeapBytes,
    double GcCollectionsRate,
    double AllocationRate,
    long ThreadPoolThreads,
    long ThreadPoolQueue,
    long Activations,
    long Connections);

/// <summary>The grain scheduler and the CPU budget it was sized to (cgroup figures are null when not read).</summary>
public sealed record SchedulerFigures(
    long Workers,
    long QueueLength,
    double? CpuBudget,
    string? BudgetSource,
    double? QuotaCpus,
    long? MemoryLimitBytes,
    long? Periods,
    long? ThrottledPeriods,
    double? ThrottledSeconds,
    double? ThrottledSecondsRate,
    long? ThreadPoolMinWorkers,
    long? ThreadPoolMaxWorkers);

/// <summary>One grain type.</summary>
public sealed record GrainTypeFigures(
    string Type,
    long Active,
    long Activations,
    long Deactivations,
    double MessagesRate,
    double CallsRate,
    double AverageMs,
    double P99Ms,
    long Errors,
    double ErrorsRate);

/// <summary>One method (message type) of one grain type.</summary>
public sealed record MethodFigures(string Type, string Method, long Calls, double CallsRate, double AverageMs, double P99Ms, long Errors);

/// <summary>The few numbers the charts keep for their history.</summary>
public sealed record HistoryPoint(long Time, double MessagesInRate, double MessagesOutRate, double DroppedRate, long Connections, long SessionsLive, long SessionsHibernated);
