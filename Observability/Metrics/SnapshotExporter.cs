using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// The pull exporter behind <c>/metrics</c> and the dashboard: when its reader collects, it turns the batch (valid
/// only during <see cref="Export"/>) into an immutable <see cref="MetricsSnapshot"/> under Prometheus names.
/// Exponential histograms are not produced by GrainMQ's instruments and are skipped.
/// </summary>
internal sealed class SnapshotExporter : BaseExporter<Metric>
{
    /// <summary>The snapshot of the latest collection (set on the collecting thread, inside Collect).</summary>
    public MetricsSnapshot? Latest { get; private set; }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        var families = new List<MetricFamily>();
        var byName = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        foreach (var metric in batch)
        {
            if (KindOf(metric.MetricType) is not { } kind)
            {
                continue;
            }

            var name = PrometheusNaming.MetricName(metric.Name, metric.Unit, kind);
            if (!byName.TryGetValue(name, out var family))
            {
                family = new MetricFamily(name, kind, string.IsNullOrEmpty(metric.Description) ? metric.Name : metric.Description);
                byName.Add(name, family);
                families.Add(family);
            }
            else if (family.Kind != kind)
            {
                continue;
            }

            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                Add(family, metric.MetricType, in point);
            }
        }

        Latest = new MetricsSnapshot(DateTimeOffset.UtcNow, families);
        return ExportResult.Success;
    }

    private static MetricKind? KindOf(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => MetricKind.Counter,
        MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic or MetricType.LongGauge or MetricType.DoubleGauge => MetricKind.Gauge,
        MetricType.Histogram => MetricKind.Histogram,
        _ => null,
    };

    private static void Add(MetricFamily family, MetricType type, in MetricPoint point)
    {
        var labels = Labels(point.Tags);
        switch (type)
        {
            case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                family.Samples.Add(new MetricSample(labels, point.GetSumLong()));
                break;
            case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                family.Samples.Add(new MetricSample(labels, point.GetSumDouble()));
                break;
            case MetricType.LongGauge:
                family.Samples.Add(new MetricSample(labels, point.GetGaugeLastValueLong()));
                break;
            case MetricType.DoubleGauge:
                family.Samples.Add(new MetricSample(labels, point.GetGaugeLastValueDouble()));
                break;
            default:
                family.Histograms.Add(Histogram(labels, in point));
                break;
        }
    }

    private static HistogramSample Histogram(IReadOnlyList<KeyValuePair<string, string>> labels, in MetricPoint point)
    {
        var buckets = new List<HistogramBucketCount>();
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            buckets.Add(new HistogramBucketCount(bucket.ExplicitBound, cumulative));
        }

        return new HistogramSample(labels, point.GetHistogramSum(), point.GetHistogramCount(), buckets);
    }

    private static KeyValuePair<string, string>[] Labels(ReadOnlyTagCollection tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Count];
        var i = 0;
        foreach (var tag in tags)
        {
            labels[i++] = new KeyValuePair<string, string>(
                PrometheusNaming.LabelName(tag.Key),
                Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "");
        }

        return labels;
    }
}
