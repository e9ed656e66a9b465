using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Reporting;

/// <summary>Percentiles of one histogram, in microseconds.</summary>
public sealed record LatencyReport(long Count, double Mean, long Min, long P50, long P90, long P99, long P999, long Max)
{
    public static LatencyReport From(HistogramSnapshot snapshot)
    {
        var histogram = LatencyHistogram.FromSnapshot(snapshot);
        return new LatencyReport(
            histogram.TotalCount,
            Math.Round(histogram.Mean, 1),
            histogram.Min,
            histogram.ValueAtPercentile(50),
            histogram.ValueAtPercentile(90),
            histogram.ValueAtPercentile(99),
            histogram.ValueAtPercentile(99.9),
            histogram.Max);
    }
}

/// <summary>What the end of a run prints: the totals with rates and percentiles worked out (the <c>--json</c> object).</summary>
/// <param name="ConnectRate">Successful connects per second, first to last.</param>
/// <param name="PubRate">Publishes per second, first to last.</param>
/// <param name="RecvRate">Receipts per second, first to last.</param>
public sealed record SummaryReport(
    string Mode,
    int Workers,
    double ElapsedSeconds,
    string EndReason,
    CounterSnapshot Counters,
    double ConnectRate,
    double PubRate,
    double RecvRate,
    LatencyReport LatencyUs,
    LatencyReport ConnectLatencyUs,
    IReadOnlyDictionary<string, long> Errors)
{
    public static SummaryReport From(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new SummaryReport(
            summary.Mode,
            summary.Workers,
            summary.ElapsedSeconds,
            summary.EndReason,
            summary.Counters,
            Math.Round(summary.ConnectWindow.Rate(summary.Counters.ConnectSucc), 1),
            Math.Round(summary.PubWindow.Rate(summary.Counters.Pub), 1),
            Math.Round(summary.RecvWindow.Rate(summary.Counters.Recv), 1),
            LatencyReport.From(summary.Latency),
            LatencyReport.From(summary.ConnectLatency),
            summary.Errors);
    }
}
