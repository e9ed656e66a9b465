using System.Globalization;
using System.Text;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Observability.Metrics;
using GrainMQ.Observability.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Observability.Tests.Infrastructure.TestIds;

namespace GrainMQ.Observability.Tests;

public sealed class SysTopicsTests
{
    [Fact]
    public async Task Sys_topics_report_the_same_numbers_as_the_metrics_under_mosquittos_names()
    {
        await using var broker = await ObservedBroker.StartAsync(("Sys:Enabled", "true"), ("Sys:Interval", "00:00:00.100"));
        var publisherId = Unique("pub");
        using var publisherSession = new SessionEvents(broker.Services.GetRequiredService<IRuntimeStatistics>(), publisherId);
        await using (var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, publisherId, MqttProtocolVersion.V500))
        {
            for (var i = 0; i < 4; i++)
            {
                await publisher.PublishAsync(Unique("nobody"), "x", MqttQoS.AtLeastOnce);
            }

            await publisher.DisconnectAsync();
        }

        // The publisher's session ends (clean session) and leaves memory: from then on nothing below moves.
        await publisherSession.HibernatedAsync(() => broker.Services.GetRequiredService<SessionTracker>().IsLive(publisherId));

        await using var observer = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("observer"), MqttProtocolVersion.V500);
        await observer.SubscribeAsync("$SYS/broker/#", MqttQoS.AtMostOnce);

        // Read a round that started after the subscription: its first topic (version) arrives live, not as a
        // retained copy, so every later value of the round was computed after the subscription was in place.
        PublishPacket first;
        do
        {
            first = await observer.ExpectAsync<PublishPacket>(p => !p.Retain);
        }
        while (first.Topic != "$SYS/broker/version");

        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] compared = ["messages/received", "publish/messages/dropped", "messages/dropped/no_subscribers", "clients/connected", "subscriptions/count", "sessions/live", "publish/bytes/received"];
        while (!compared.All(name => latest.ContainsKey("$SYS/broker/" + name)))
        {
            var publish = await observer.ExpectAsync<PublishPacket>(p => !p.Retain);
            latest[publish.Topic] = Encoding.UTF8.GetString(publish.Payload.Span);
        }

        var scrape = await broker.ScrapeAsync();
        long Sys(string name) => long.Parse(latest["$SYS/broker/" + name], CultureInfo.InvariantCulture);
        Assert.Equal(4, Sys("messages/received"));
        Assert.Equal(scrape.Value("grainmq_messages_received_total"), Sys("messages/received"));
        Assert.Equal(scrape.Value("grainmq_messages_dropped_total"), Sys("publish/messages/dropped"));
        Assert.Equal(scrape.Value("grainmq_messages_dropped_total", ("reason", "no_subscribers")), Sys("messages/dropped/no_subscribers"));
        Assert.Equal(scrape.Value("grainmq_clients_connected"), Sys("clients/connected"));
        Assert.Equal(scrape.Value("grainmq_subscriptions"), Sys("subscriptions/count"));
        Assert.Equal(scrape.Value("grainmq_sessions", ("state", "live")), Sys("sessions/live"));
        Assert.Equal(scrape.Value("grainmq_received_bytes_total", ("type", "publish")), Sys("publish/bytes/received"));
    }
}
