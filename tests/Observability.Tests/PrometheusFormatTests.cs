using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Observability.Metrics;
using GrainMQ.Observability.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Observability.Tests.Infrastructure.TestIds;

namespace GrainMQ.Observability.Tests;

public sealed class PrometheusFormatTests
{
    [Fact]
    public async Task Metrics_endpoint_is_valid_Prometheus_text_with_help_type_and_the_silo_label_on_every_series()
    {
        await using var broker = await ObservedBroker.StartAsync(("Runtime:SiloName", "silo-under-test"), ("Metrics:CallTimingSampleEvery", "1"));
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("c"), MqttProtocolVersion.V500);
        var topic = Unique("format");
        await client.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await client.PublishAsync(topic, "x", MqttQoS.AtLeastOnce);
        await client.ExpectPublishAsync(topic);

        var scrape = await broker.ScrapeAsync();

        Assert.All(scrape.Samples, sample => Assert.Equal("silo-under-test", sample.Labels["silo"]));
        foreach (var (family, type) in scrape.TypesByFamily)
        {
            Assert.True(scrape.HelpByFamily.ContainsKey(family), $"{family} has no HELP");
            Assert.Equal(type == "counter", family.EndsWith("_total", StringComparison.Ordinal));
        }

        string[] expected =
        [
            "grainmq_connections", "grainmq_connections_opened_total", "grainmq_packets_received_total", "grainmq_packets_sent_total",
            "grainmq_received_bytes_total", "grainmq_sent_bytes_total", "grainmq_messages_received_total", "grainmq_messages_sent_total",
            "grainmq_messages_dropped_total", "grainmq_retained_messages", "grainmq_subscriptions", "grainmq_clients_connected",
            "grainmq_sessions", "grainmq_grain_activations_total", "grainmq_grain_deactivations_total", "grainmq_grain_active",
            "grainmq_grain_messages_total", "grainmq_grain_calls_total", "grainmq_grain_call_duration_seconds", "grainmq_scheduler_queue_length",
            "grainmq_scheduler_workers", "grainmq_cpu_budget", "dotnet_gc_collections_total", "dotnet_process_memory_working_set_bytes",
        ];
        Assert.All(expected, family => Assert.True(scrape.TypesByFamily.ContainsKey(family), $"{family} is missing"));
        Assert.Equal("histogram", scrape.TypesByFamily["grainmq_grain_call_duration_seconds"]);
        Assert.Equal(Enum.GetValues<GrainMQ.Grains.DropReason>().Length, scrape.Select("grainmq_messages_dropped_total").Count);
    }

    [Theory]
    [InlineData("grainmq.grain.call.duration", "s", MetricKind.Histogram, "grainmq_grain_call_duration_seconds")]
    [InlineData("grainmq.messages.received", "{message}", MetricKind.Counter, "grainmq_messages_received_total")]
    [InlineData("grainmq.received.bytes", "By", MetricKind.Counter, "grainmq_received_bytes_total")]
    [InlineData("grainmq.connections", "{connection}", MetricKind.Gauge, "grainmq_connections")]
    [InlineData("dotnet.process.memory.working_set", "By", MetricKind.Gauge, "dotnet_process_memory_working_set_bytes")]
    [InlineData("dotnet.gc.pause.time", "s", MetricKind.Counter, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("cpu.utilization", "1", MetricKind.Gauge, "cpu_utilization_ratio")]
    [InlineData("requests_total", null, MetricKind.Counter, "requests_total")]
    [InlineData("9lives-and.more", "m/s", MetricKind.Gauge, "_9lives_and_more_m_per_s")]
    public void Instrument_names_become_Prometheus_names_with_base_unit_and_total_suffixes(string instrument, string? unit, MetricKind kind, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(instrument, unit, kind));

    [Fact]
    public void Label_values_with_quotes_backslashes_and_line_feeds_are_escaped_so_they_parse_back_unchanged()
    {
        const string Awkward = "a \"quoted\" \\ path\nsecond line";
        var family = new MetricFamily("grainmq_test_total", MetricKind.Counter, "A help text with a \\ backslash\nand two lines.");
        family.Samples.Add(new MetricSample([new KeyValuePair<string, string>("client", Awkward)], 3));
        var histogram = new MetricFamily("grainmq_test_seconds", MetricKind.Histogram, "h");
        histogram.Histograms.Add(new HistogramSample([], 0.75, 3, [new(0.1, 1), new(1, 3), new(double.PositiveInfinity, 3)]));
        var text = PrometheusTextWriter.Write(new MetricsSnapshot(DateTimeOffset.UtcNow, [family, histogram]), [new KeyValuePair<string, string>("silo", "s1")]);

        var scrape = PrometheusScrape.Parse(text);

        Assert.Equal(Awkward, Assert.Single(scrape.Select("grainmq_test_total")).Labels["client"]);
        Assert.Equal(3, scrape.Value("grainmq_test_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(1, scrape.Value("grainmq_test_seconds_bucket", ("le", "0.1")));
        Assert.Equal(0.75, scrape.Value("grainmq_test_seconds_sum"));
    }

    [Theory]
    [InlineData("metric_without_value\n")]
    [InlineData("bad-name 1\n")]
    [InlineData("m{l=\"unterminated} 1\n")]
    [InlineData("m{l=\"a\",l=\"b\"} 1\n")]
    [InlineData("# TYPE m counter\nm -1\n")]
    [InlineData("m 1\nm 2\n")]
    [InlineData("a 1\nb 1\na{x=\"y\"} 1\n")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("m 1")]
    public void The_test_parser_rejects_text_that_is_not_valid_exposition_format(string text) =>
        Assert.ThrowsAny<Exception>(() => PrometheusScrape.Parse(text));
}
