using System.Globalization;
using System.Text;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// Writes a <see cref="MetricsSnapshot"/> in the Prometheus text exposition format, version 0.0.4: per family a
/// <c># HELP</c> and a <c># TYPE</c> line, then one line per series; histograms as cumulative <c>_bucket</c> series
/// (ending with <c>le="+Inf"</c>), <c>_sum</c> and <c>_count</c>. Every series gets the constant labels (the silo).
/// </summary>
public static class PrometheusTextWriter
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The exposition of <paramref name="snapshot"/>.</summary>
    public static string Write(MetricsSnapshot snapshot, IReadOnlyList<KeyValuePair<string, string>> constantLabels)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder(16 * 1024);
        foreach (var family in snapshot.Families)
        {
            if (family.Samples.Count == 0 && family.Histograms.Count == 0)
            {
                continue;
            }

            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Kind)).Append('\n');
            foreach (var sample in family.Samples)
            {
                WriteSeries(text, family.Name, constantLabels, sample.Labels, null, sample.Value);
            }

            foreach (var histogram in family.Histograms)
            {
                foreach (var bucket in histogram.Buckets)
                {
                    WriteSeries(text, family.Name + "_bucket", constantLabels, histogram.Labels, FormatValue(bucket.UpperBound), bucket.CumulativeCount);
                }

                WriteSeries(text, family.Name + "_sum", constantLabels, histogram.Labels, null, histogram.Sum);
                WriteSeries(text, family.Name + "_count", constantLabels, histogram.Labels, null, histogram.Count);
            }
        }

        return text.ToString();
    }

    /// <summary>A sample value as the format writes it (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, or a round-trip number).</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'),
    };

    private static void WriteSeries(
        StringBuilder text,
        string name,
        IReadOnlyList<KeyValuePair<string, string>> constantLabels,
        IReadOnlyList<KeyValuePair<string, string>> labels,
        string? le,
        double value)
    {
        text.Append(name);
        var first = true;
        foreach (var (key, labelValue) in constantLabels)
        {
            if (MetricsSnapshot.LabelOf(labels, key) is null)
            {
                AppendLabel(text, ref first, key, labelValue);
            }
        }

        foreach (var (key, labelValue) in labels)
        {
            AppendLabel(text, ref first, key, labelValue);
        }

        if (le is not null)
        {
            AppendLabel(text, ref first, "le", le);
        }

        if (!first)
        {
            text.Append('}');
        }

        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    private static void AppendLabel(StringBuilder text, ref bool first, string key, string value)
    {
        text.Append(first ? '{' : ',');
        first = false;
        text.Append(key).Append("=\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '"':
                    text.Append("\\\"");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };
}
