using System.Text.Json;
using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Tests;

public class ReportingTests
{
    [Fact]
    public void Progress_prints_one_line_per_counter_in_emqtt_bench_style_with_the_rate_since_the_last_tick()
    {
        var previous = CounterSnapshot.Zero with { ConnectSucc = 100, Pub = 1_000 };
        var current = CounterSnapshot.Zero with { ConnectSucc = 100, Pub = 3_500, Drop = 3 };

        var lines = TextProgress.Format(12, current, previous, intervalSeconds: 2);

        Assert.Equal(
            ["12s connect_succ total=100 rate=0.00/s", "12s pub total=3500 rate=1250.00/s", "12s drop total=3 rate=1.50/s"],
            lines);
    }

    [Fact]
    public void The_final_tick_is_not_printed_twice_when_nothing_changed()
    {
        var output = new StringWriter();
        var progress = new TextProgress(output);
        var counters = CounterSnapshot.Zero with { ConnectSucc = 5 };

        progress.Tick(3, counters);
        progress.Tick(3, counters);

        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_summary_reports_rates_over_the_event_windows_and_latency_percentiles()
    {
        var latency = new LatencyHistogram();
        for (var value = 1; value <= 1_000; value++)
        {
            latency.Record(value);
        }

        var summary = new RunSummary(
            "sub",
            2,
            12.5,
            "limit",
            CounterSnapshot.Zero with { ConnectSucc = 200, Sub = 200, Recv = 1_000, Fail = 1 },
            new TimeWindow(10_000, 12_000),
            TimeWindow.None,
            new TimeWindow(20_000, 30_000),
            latency.ToSnapshot(),
            HistogramSnapshot.Empty,
            new SortedDictionary<string, long> { ["closed_by_broker"] = 1 });

        var report = SummaryReport.From(summary);
        var text = TextSummary.Format(report);

        Assert.Equal(100.0, report.ConnectRate);
        Assert.Equal(100.0, report.RecvRate);
        Assert.Equal(new LatencyReport(1_000, 500.5, 1, 500, 900, 990, 999, 1_000), report.LatencyUs);
        Assert.Contains("== summary: sub, 2 workers, 12.5 s, ended by limit ==", text, StringComparison.Ordinal);
        Assert.Contains("p50=500 p90=900 p99=990 p99.9=999 max=1000", text, StringComparison.Ordinal);
        Assert.Contains("closed_by_broker=1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_summary_names_fields_in_snake_case()
    {
        var summary = new RunSummary("pub", 1, 1, "limit", CounterSnapshot.Zero with { Pub = 7 }, TimeWindow.None, new TimeWindow(1, 1_001), TimeWindow.None, HistogramSnapshot.Empty, HistogramSnapshot.Empty, new Dictionary<string, long>());

        var json = JsonSerializer.Serialize(SummaryReport.From(summary), LoadGenJson.Default.SummaryReport);
        using var document = JsonDocument.Parse(json);

        Assert.Equal(7, document.RootElement.GetProperty("counters").GetProperty("pub").GetInt64());
        Assert.Equal(7.0, document.RootElement.GetProperty("pub_rate").GetDouble());
        Assert.Equal(0, document.RootElement.GetProperty("latency_us").GetProperty("p999").GetInt64());
    }
}
