using System.Text;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// OpenTelemetry instrument names and units to Prometheus names: dots and other invalid characters become
/// underscores, the unit is appended in base-unit words (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>;
/// annotations such as <c>{connection}</c> add nothing), and monotonic counters end in <c>_total</c>.
/// </summary>
public static class PrometheusNaming
{
    /// <summary>The Prometheus metric name for an instrument.</summary>
    public static string MetricName(string instrumentName, string? unit, MetricKind kind)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit, kind);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>A valid Prometheus label name for a tag key (<c>gc.heap.generation</c> → <c>gc_heap_generation</c>).</summary>
    public static string LabelName(string tagKey) => Sanitize(tagKey, allowColon: false);

    /// <summary>The unit in words, or empty for none or a pure annotation.</summary>
    public static string UnitSuffix(string? unit, MetricKind kind)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return "";
        }

        var plain = StripAnnotations(unit);
        return plain switch
        {
            "" => "",
            "1" => kind == MetricKind.Gauge ? "ratio" : "",
            "s" => "seconds",
            "ms" => "milliseconds",
            "us" => "microseconds",
            "ns" => "nanoseconds",
            "By" => "bytes",
            "KiBy" => "kibibytes",
            "MiBy" => "mebibytes",
            "%" => "percent",
            _ => Sanitize(plain.Replace("/", "_per_", StringComparison.Ordinal), allowColon: false).Trim('_'),
        };
    }

    private static string StripAnnotations(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
