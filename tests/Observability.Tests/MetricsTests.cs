using System.Text;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Observability.Metrics;
using GrainMQ.Gateway;
using GrainMQ.Observability.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Observability.Tests.Infrastructure.TestIds;

namespace GrainMQ.Observability.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Ten_QoS_1_publishes_raise_the_message_packet_and_byte_counters_by_exactly_ten()
    {
        await using var broker = await ObservedBroker.StartAsync();
        var topic = Unique("counted");
        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("sub"), MqttProtocolVersion.V500);
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), MqttProtocolVersion.V500);
        var publishSize = MqttEncoder.GetEncodedSize(
            new PublishPacket(topic, Encoding.UTF8.GetBytes("payload-0"), MqttQoS.AtLeastOnce, false, false, 1, MqttProperties.Empty),
            MqttProtocolVersion.V500);
        var before = await broker.ScrapeAsync();

        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishAsync(topic, $"payload-{i}", MqttQoS.AtLeastOnce);
        }

        for (var i = 0; i < 10; i++)
        {
            await subscriber.ExpectPublishAsync(topic);
        }

        await BarrierAsync(publisher);
        await BarrierAsync(subscriber);
        var after = await broker.ScrapeAsync();
        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(10, Delta("grainmq_messages_received_total"));
        Assert.Equal(10, Delta("grainmq_messages_sent_total"));
        Assert.Equal(10, Delta("grainmq_packets_received_total", ("listener", "tcp"), ("type", "publish")));
        Assert.Equal(10, Delta("grainmq_packets_sent_total", ("listener", "tcp"), ("type", "puback")));
        Assert.Equal(10, Delta("grainmq_packets_sent_total", ("listener", "tcp"), ("type", "publish")));
        Assert.Equal(10 * publishSize, Delta("grainmq_received_bytes_total", ("listener", "tcp"), ("type", "publish")));
        Assert.Equal(0, Delta("grainmq_messages_dropped_total"));
        Assert.True(Delta("grainmq_grain_calls_total", ("grain_type", "session"), ("method", "SessionPacket")) >= 20);
        Assert.True(Delta("grainmq_grain_calls_total", ("grain_type", "session"), ("method", "DeliverMessage")) >= 10);
        Assert.True(Delta("grainmq_grain_messages_total", ("grain_type", "session")) >= 20);
    }

    [Fact]
    public async Task A_session_that_hibernates_moves_from_live_to_hibernated_and_back_when_woken()
    {
        await using var broker = await ObservedBroker.StartAsync(("Session:IdleTimeout", "00:00:00.500"), ("Runtime:CollectionInterval", "00:00:00.100"));
        var clientId = Unique("sleeper");
        var tracker = broker.Services.GetRequiredService<SessionTracker>();
        using var events = new SessionEvents(broker.Services.GetRequiredService<IRuntimeStatistics>(), clientId);
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, MqttProtocolVersion.V500);

        var awake = await ScrapeAwakeAsync(broker, events, () => client.SubscribeAsync(Unique("first"), MqttQoS.AtMostOnce));
        Assert.Equal(1, awake.Value("grainmq_sessions", ("state", "live")));
        Assert.Equal(0, awake.Value("grainmq_sessions", ("state", "hibernated")));
        Assert.Equal(1, awake.Value("grainmq_clients_connected"));

        await events.HibernatedAsync(() => tracker.IsLive(clientId));
        var asleep = await broker.ScrapeAsync();
        Assert.Equal(0, asleep.Value("grainmq_sessions", ("state", "live")));
        Assert.Equal(1, asleep.Value("grainmq_sessions", ("state", "hibernated")));
        Assert.Equal(1, asleep.Value("grainmq_clients_connected"));
        Assert.Equal(1, asleep.Value("grainmq_connections", ("listener", "tcp")));

        var woken = await ScrapeAwakeAsync(broker, events, () => client.SubscribeAsync(Unique("wake"), MqttQoS.AtMostOnce));
        Assert.Equal(1, woken.Value("grainmq_sessions", ("state", "live")));
        Assert.Equal(0, woken.Value("grainmq_sessions", ("state", "hibernated")));
    }

    [Fact]
    public async Task A_message_without_subscribers_is_counted_as_dropped_for_no_subscribers()
    {
        await using var broker = await ObservedBroker.StartAsync();
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("lonely"), MqttProtocolVersion.V311);
        var before = await broker.ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            await publisher.PublishAsync(Unique("nobody/listens"), "x", MqttQoS.AtLeastOnce);
        }

        var after = await broker.ScrapeAsync();
        Assert.Equal(3, after.Value("grainmq_messages_dropped_total", ("reason", "no_subscribers")) - before.Value("grainmq_messages_dropped_total", ("reason", "no_subscribers")));
        Assert.Equal(0, after.Value("grainmq_messages_dropped_total", ("reason", "queue_full")) - before.Value("grainmq_messages_dropped_total", ("reason", "queue_full")));
    }

    [Fact]
    public async Task Connections_subscriptions_and_retained_messages_are_gauged_per_listener()
    {
        await using var broker = await ObservedBroker.StartAsync();
        var webSocketPort = broker.Services.GetRequiredService<MqttListeners>().WebSocketEndPoint!.Port;
        await using var tcp = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("tcp"), MqttProtocolVersion.V500);
        await using var webSocket = await MqttTestClient.OpenWebSocketAsync(new Uri($"ws://127.0.0.1:{webSocketPort}/mqtt"));
        Assert.Equal(ReasonCode.Success, (await webSocket.ConnectAsync(Unique("ws"), MqttProtocolVersion.V311)).ReasonCode);
        await tcp.SubscribeAsync(Unique("a") + "/+", MqttQoS.AtLeastOnce);
        await webSocket.SubscribeAsync(Unique("b") + "/#", MqttQoS.AtMostOnce);
        await tcp.PublishAsync(Unique("kept"), "retained", MqttQoS.AtLeastOnce, retain: true);

        var scrape = await broker.ScrapeAsync();
        Assert.Equal(1, scrape.Value("grainmq_connections", ("listener", "tcp")));
        Assert.Equal(1, scrape.Value("grainmq_connections", ("listener", "websocket")));
        Assert.Equal(1, scrape.Value("grainmq_connections_opened_total", ("listener", "websocket")));
        Assert.Equal(2, scrape.Value("grainmq_subscriptions"));
        Assert.Equal(1, scrape.Value("grainmq_retained_messages"));
        Assert.Equal(1, scrape.Value("grainmq_packets_received_total", ("listener", "websocket"), ("type", "connect")));
    }

    [Fact]
    public async Task Two_brokers_in_one_process_each_report_only_their_own_traffic()
    {
        await using var busy = await ObservedBroker.StartAsync();
        await using var idle = await ObservedBroker.StartAsync();
        await using var publisher = await MqttTestClient.ConnectTcpAsync(busy.TcpEndPoint, Unique("pub"), MqttProtocolVersion.V500);
        await publisher.PublishAsync(Unique("t"), "x", MqttQoS.AtLeastOnce);

        var idleScrape = await idle.ScrapeAsync();
        var busyScrape = await busy.ScrapeAsync();
        Assert.Equal(1, busyScrape.Value("grainmq_messages_received_total"));
        Assert.Equal(0, idleScrape.Value("grainmq_messages_received_total"));
        Assert.Empty(idleScrape.Select("grainmq_grain_calls_total"));
    }

    [Fact]
    public async Task With_metrics_disabled_the_metrics_endpoint_answers_503_while_health_and_dashboard_still_serve()
    {
        await using var broker = await ObservedBroker.StartAsync(("Metrics:Enabled", "false"));
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), MqttProtocolVersion.V500);
        await publisher.PublishAsync(Unique("t"), "x", MqttQoS.AtLeastOnce);

        using var metrics = await broker.Http.GetAsync("metrics");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, metrics.StatusCode);
        using var ready = await broker.Http.GetAsync("healthz/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        using var page = await broker.Http.GetAsync("");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Every_grain_call_is_counted_and_with_a_sampling_of_one_every_call_is_also_timed()
    {
        await using var broker = await ObservedBroker.StartAsync(("Metrics:CallTimingSampleEvery", "1"));
        var topic = Unique("timed");
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("c"), MqttProtocolVersion.V500);
        await client.SubscribeAsync(topic, MqttQoS.AtMostOnce);
        for (var i = 0; i < 5; i++)
        {
            await client.PublishAsync(topic, "x", MqttQoS.AtLeastOnce);
            await client.ExpectPublishAsync(topic);
        }

        await BarrierAsync(client);
        var scrape = await broker.ScrapeAsync();
        (string, string)[] deliveries = [("grain_type", "session"), ("method", "DeliverMessage")];
        Assert.Equal(5, scrape.Value("grainmq_grain_calls_total", deliveries));
        Assert.Equal(5, scrape.Value("grainmq_grain_call_duration_seconds_count", deliveries));
        foreach (var calls in scrape.Select("grainmq_grain_calls_total"))
        {
            // The barrier's own turn may be counted and not yet timed when the scrape runs: at most one apart.
            var labels = new[] { ("grain_type", calls.Labels["grain_type"]), ("method", calls.Labels["method"]) };
            Assert.InRange(scrape.Value("grainmq_grain_call_duration_seconds_count", labels), calls.Value - 1, calls.Value);
        }
    }

    // A round trip through the client's session: it handles its mailbox in order and finishes (and measures) a turn
    // before it starts the next, so every turn for packets sent or delivered before this one is measured after it.
    private static Task BarrierAsync(MqttTestClient client) => client.SubscribeAsync(Unique("barrier"), MqttQoS.AtMostOnce);

    // Wakes the session and scrapes; on a machine so loaded that the session fell asleep again before the scrape
    // (its idle timeout passed), wakes it once more: the scrape returned was taken while it was awake.
    private static async Task<PrometheusScrape> ScrapeAwakeAsync(ObservedBroker broker, SessionEvents events, Func<Task> wake)
    {
        for (var attempt = 1; ; attempt++)
        {
            var deactivations = events.Deactivations;
            await wake();
            var scrape = await broker.ScrapeAsync();
            if (events.Deactivations == deactivations)
            {
                return scrape;
            }

            Assert.True(attempt < 5, "the session kept falling asleep before it could be scraped");
        }
    }
}
