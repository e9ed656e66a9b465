using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;
using GrainMQ.LoadGen.Workers;

namespace GrainMQ.LoadGen.Tests;

public class WorkerMergeTests
{
    [Fact]
    public void Tick_lines_of_several_workers_add_up_to_the_latest_totals()
    {
        var merge = new WorkerMerge(2);

        Assert.True(merge.Accept(0, WorkerMessage.Tick(0, 1, Counters(connect: 10, pub: 100)).ToJsonLine()));
        Assert.True(merge.Accept(1, WorkerMessage.Tick(1, 1, Counters(connect: 12, pub: 90)).ToJsonLine()));
        Assert.True(merge.Accept(0, WorkerMessage.Tick(0, 2, Counters(connect: 10, pub: 250)).ToJsonLine()));

        Assert.Equal(Counters(connect: 22, pub: 340), merge.Totals());
    }

    [Fact]
    public void Final_lines_merge_counters_errors_windows_and_histograms_as_one_run()
    {
        var (first, firstLatencies) = Worker(seed: 1, connect: 500, errors: new() { ["connect:ConnectionRefused"] = 2, ["closed_by_broker"] = 1 }, window: new TimeWindow(1_000, 5_000));
        var (second, secondLatencies) = Worker(seed: 2, connect: 400, errors: new() { ["connect:ConnectionRefused"] = 3 }, window: new TimeWindow(1_200, 6_000));
        var merge = new WorkerMerge(2);

        merge.Accept(1, WorkerMessage.Final(1, second).ToJsonLine());
        merge.Accept(0, WorkerMessage.Final(0, first).ToJsonLine());
        var result = merge.Result()!;

        var union = new LatencyHistogram();
        foreach (var value in firstLatencies.Concat(secondLatencies))
        {
            union.Record(value);
        }

        Assert.Equal(2, result.Workers);
        Assert.Equal(900, result.Counters.ConnectSucc);
        Assert.Equal(6, result.Counters.Fail);
        Assert.Equal(5, result.Errors["connect:ConnectionRefused"]);
        Assert.Equal(1, result.Errors["closed_by_broker"]);
        Assert.Equal(new TimeWindow(1_000, 6_000), result.RecvWindow);
        Assert.Equal(union.TotalCount, result.Latency.TotalCount);
        var merged = LatencyHistogram.FromSnapshot(result.Latency);
        foreach (var percentile in new[] { 50.0, 90.0, 99.0, 99.9, 100.0 })
        {
            Assert.Equal(union.ValueAtPercentile(percentile), merged.ValueAtPercentile(percentile));
        }

        Assert.Empty(merge.Missing());
    }

    [Fact]
    public void A_worker_that_sent_no_final_line_is_reported_missing()
    {
        var merge = new WorkerMerge(3);
        merge.Accept(1, WorkerMessage.Final(1, Worker(seed: 3, connect: 1, errors: [], window: TimeWindow.None).Summary).ToJsonLine());

        Assert.Equal([0, 2], merge.Missing());
    }

    [Theory]
    [InlineData("Unhandled exception. System.Exception: boom")]
    [InlineData("{not json")]
    [InlineData("{\"kind\":\"tick\"}")]
    [InlineData("")]
    public void Lines_that_are_not_worker_messages_are_not_taken(string line)
    {
        var merge = new WorkerMerge(1);

        Assert.False(merge.Accept(0, line));
        Assert.Equal(CounterSnapshot.Zero, merge.Totals());
    }

    [Fact]
    public void Different_end_reasons_are_all_kept()
    {
        var (one, _) = Worker(seed: 4, connect: 1, errors: [], window: TimeWindow.None);
        var merged = WorkerMerge.Merge([one, one with { EndReason = "interrupted" }, one]);

        Assert.Equal("duration+interrupted", merged.EndReason);
    }

    private static CounterSnapshot Counters(long connect, long pub) => CounterSnapshot.Zero with { ConnectSucc = connect, Pub = pub };

    private static (RunSummary Summary, List<long> Latencies) Worker(int seed, long connect, Dictionary<string, long> errors, TimeWindow window)
    {
        var random = new Random(seed);
        var latency = new LatencyHistogram();
        var values = new List<long>();
        for (var index = 0; index < 5_000; index++)
        {
            var value = (long)Math.Exp(random.NextDouble() * 14);
            values.Add(value);
            latency.Record(value);
        }

        var fails = errors.Values.Sum();
        var summary = new RunSummary(
            "sub",
            1,
            10,
            "duration",
            CounterSnapshot.Zero with { ConnectSucc = connect, Recv = values.Count, Fail = fails },
            window,
            TimeWindow.None,
            window,
            latency.ToSnapshot(),
            HistogramSnapshot.Empty,
            errors);
        return (summary, values);
    }
}
