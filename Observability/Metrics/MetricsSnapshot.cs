namespace GrainMQ.Observability.Metrics;

/// <summary>How a metric family is exposed.</summary>
public enum MetricKind
{
    /// <summary>A monotonic total (Prometheus <c>counter</c>, name ending in <c>_total</c>).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Explicit-bucket histogram (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    Histogram,
}

/// <summary>One series of a counter or gauge.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    /// <summary>The value of label <paramref name="name"/>, or null.</summary>
    public string? Label(string name) => MetricsSnapshot.LabelOf(Labels, name);
}

/// <summary>One series of a histogram: cumulative counts per upper bound (the last bound is +Inf).</summary>
public sealed record HistogramSample(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Sum,
    long Count,
    IReadOnlyList<HistogramBucketCount> Buckets)
{
    /// <summary>The value of label <paramref name="name"/>, or null.</summary>
    public string? Label(string name) => MetricsSnapshot.LabelOf(Labels, name);
}

/// <summary>Observations less than or equal to <paramref name="UpperBound"/> (cumulative).</summary>
public readonly record struct HistogramBucketCount(double UpperBound, long CumulativeCount);

/// <summary>One metric under its Prometheus name.</summary>
public sealed class MetricFamily(string name, MetricKind kind, string help)
{
    /// <summary>The Prometheus name (with unit suffix and, for counters, <c>_total</c>).</summary>
    public string Name { get; } = name;

    /// <summary>How it is exposed.</summary>
    public MetricKind Kind { get; } = kind;

    /// <summary>The instrument's description.</summary>
    public string Help { get; } = help;

    /// <summary>Counter and gauge series.</summary>
    public List<MetricSample> Samples { get; } = [];

    /// <summary>Histogram series.</summary>
    public List<HistogramSample> Histograms { get; } = [];
}

/// <summary>Every metric at one collection: what <c>/metrics</c> writes and the dashboard samples.</summary>
public sealed class MetricsSnapshot(DateTimeOffset collectedAt, IReadOnlyList<MetricFamily> families)
{
    private readonly Dictionary<string, MetricFamily> _byName = Index(families);

    /// <summary>When it was collected.</summary>
    public DateTimeOffset CollectedAt { get; } = collectedAt;

    /// <summary>The families, in the order the meters reported them.</summary>
    public IReadOnlyList<MetricFamily> Families { get; } = families;

    /// <summary>The family named <paramref name="name"/>, or null.</summary>
    public MetricFamily? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The sum of the series of counter or gauge <paramref name="name"/> whose label <paramref name="label"/> is
    /// <paramref name="value"/> (every series when <paramref name="label"/> is null); 0 when absent.
    /// </summary>
    public double Sum(string name, string? label = null, string? value = null)
    {
        if (Find(name) is not { } family)
        {
            return 0;
        }

        double total = 0;
        foreach (var sample in family.Samples)
        {
            if (label is null || string.Equals(sample.Label(label), value, StringComparison.Ordinal))
            {
                total += sample.Value;
            }
        }

        return total;
    }

    internal static string? LabelOf(IReadOnlyList<KeyValuePair<string, string>> labels, string name)
    {
        foreach (var (key, value) in labels)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    private static Dictionary<string, MetricFamily> Index(IReadOnlyList<MetricFamily> families)
    {
        var byName = new Dictionary<string, MetricFamily>(families.Count, StringComparer.Ordinal);
        foreach (var family in families)
        {
            byName.TryAdd(family.Name, family);
        }

        return byName;
    }
}
