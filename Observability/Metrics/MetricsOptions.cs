namespace GrainMQ.Observability.Metrics;

/// <summary>Metrics collection and export (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Metrics";

    /// <summary>
    /// <c>Metrics:Enabled</c>: whether the meter provider runs (and with it <c>/metrics</c>, OTLP export and the
    /// dashboard's live figures). Off, nothing listens to the instruments and the runtime times no grain call. Default true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>Metrics:DashboardInterval</c>: how often the dashboard samples the metrics for its charts and live
    /// updates. Default 1 s.
    /// </summary>
    public TimeSpan DashboardInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Metrics:DashboardHistory</c>: samples kept for the dashboard's charts. Default 120.</summary>
    public int DashboardHistory { get; set; } = 120;

    /// <summary>
    /// <c>Metrics:CallTimingSampleEvery</c>: one grain call in this many (per scheduler worker) is timed into
    /// <c>grainmq_grain_call_duration_seconds</c>; every call is counted in <c>grainmq_grain_calls_total</c>. 1 times
    /// every call (a timestamp pair and a histogram update, several hundred nanoseconds here). Default 16.
    /// </summary>
    public int CallTimingSampleEvery { get; set; } = 16;

    /// <summary>A description of what is wrong with these options, or null.</summary>
    public string? Validate()
    {
        if (DashboardInterval <= TimeSpan.Zero)
        {
            return "Metrics:DashboardInterval must be positive.";
        }

        if (CallTimingSampleEvery < 1)
        {
            return "Metrics:CallTimingSampleEvery must be at least 1.";
        }

        return DashboardHistory is < 2 or > 10_000 ? "Metrics:DashboardHistory must be 2 to 10000." : null;
    }
}
