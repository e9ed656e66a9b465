using System.Globalization;
using System.Text;

namespace GrainMQ.LoadGen.Reporting;

/// <summary>The end-of-run summary as text for a person.</summary>
public static class TextSummary
{
    public static string Format(SummaryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Counters;
        var text = new StringBuilder();
        var workers = report.Workers == 1 ? "1 process" : $"{report.Workers} workers";
        text.Append(CultureInfo.InvariantCulture, $"== summary: {report.Mode}, {workers}, {report.ElapsedSeconds:F1} s, ended by {report.EndReason} ==").Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"connect   succ={c.ConnectSucc} fail={c.ConnectFail} rate={report.ConnectRate:F1}/s").Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"          connect→connack µs: {Percentiles(report.ConnectLatencyUs)}").Append('\n');
        if (report.Mode == "sub")
        {
            text.Append(CultureInfo.InvariantCulture, $"sub       granted={c.Sub}").Append('\n');
        }

        if (c.Pub > 0 || report.Mode == "pub")
        {
            text.Append(CultureInfo.InvariantCulture, $"pub       sent={c.Pub} acked={c.PubAck} drop={c.Drop} rate={report.PubRate:F1}/s").Append('\n');
        }

        if (c.Recv > 0 || report.Mode == "sub")
        {
            text.Append(CultureInfo.InvariantCulture, $"recv      total={c.Recv} rate={report.RecvRate:F1}/s").Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"latency µs (publish→receive): {Percentiles(report.LatencyUs)}").Append('\n');
        }

        if (report.Errors.Count == 0)
        {
            Line(text, "errors    none");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"errors    total={c.Fail}").Append('\n');
            foreach (var (reason, count) in report.Errors)
            {
                text.Append(CultureInfo.InvariantCulture, $"          {reason}={count}").Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Percentiles(LatencyReport latency) =>
        latency.Count == 0
            ? "no samples"
            : string.Create(CultureInfo.InvariantCulture, $"n={latency.Count} min={latency.Min} p50={latency.P50} p90={latency.P90} p99={latency.P99} p99.9={latency.P999} max={latency.Max} mean={latency.Mean:F1}");

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
