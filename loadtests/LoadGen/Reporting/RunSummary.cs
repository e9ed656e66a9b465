using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Reporting;

/// <summary>
/// The raw result of a run, mergeable across worker processes: counters, event windows on the wall clock,
/// histograms and errors. A worker sends this to its parent as its last JSON line.
/// </summary>
/// <param name="Mode">conn, sub or pub.</param>
/// <param name="Workers">Processes whose results are in here.</param>
/// <param name="ElapsedSeconds">From the start of the run to the end of its shutdown (the longest, when merged).</param>
/// <param name="EndReason">duration, interrupted, limit, all_clients_closed (several joined by '+' when workers differ).</param>
/// <param name="Counters">Final totals.</param>
/// <param name="ConnectWindow">First and last successful connect.</param>
/// <param name="PubWindow">First and last publish.</param>
/// <param name="RecvWindow">First and last receipt.</param>
/// <param name="Latency">Publish-to-receive latency, microseconds.</param>
/// <param name="ConnectLatency">Connect-to-CONNACK time, microseconds.</param>
/// <param name="Errors">Failures by reason.</param>
public sealed record RunSummary(
    string Mode,
    int Workers,
    double ElapsedSeconds,
    string EndReason,
    CounterSnapshot Counters,
    TimeWindow ConnectWindow,
    TimeWindow PubWindow,
    TimeWindow RecvWindow,
    HistogramSnapshot Latency,
    HistogramSnapshot ConnectLatency,
    IReadOnlyDictionary<string, long> Errors)
{
    public static RunSummary From(BenchStats stats, BenchMode mode, double elapsedSeconds, string endReason)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new RunSummary(
            mode.ToString().ToLowerInvariant(),
            1,
            elapsedSeconds,
            endReason,
            stats.Counters(),
            stats.ConnectWindow,
            stats.PubWindow,
            stats.RecvWindow,
            stats.Latency.ToSnapshot(),
            stats.ConnectLatency.ToSnapshot(),
            stats.Errors());
    }
}
