using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Sessions;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests;

// Session:AcknowledgeAfterPersist (on in a cluster): a QoS 1/2 PUBLISH is acknowledged only once every subscriber
// session has the message, in its stored state when the session is persistent.
public sealed class DurableDeliveryTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public async Task The_puback_for_a_message_to_an_offline_persistent_session_comes_after_the_message_is_stored()
    {
        await using var broker = await TestBroker.StartAsync(("Session:AcknowledgeAfterPersist", "true"));
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        await subscriber.LoseConnectionAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();

        for (var i = 1; i <= 3; i++)
        {
            var packetId = await publisher.PublishAsync("t", $"m{i}", MqttQoS.AtLeastOnce);
            Assert.Equal(packetId, (await publisher.Connection.ExpectAsync<PubAckPacket>()).PacketId);

            var stored = await broker.Storage.ReadAsync(new GrainId(GrainTypes.Session, "sub"), default);
            var queue = new CompactJsonStateCodec<SessionState>().Decode(stored!.Value.State.Span).Queue;
            Assert.Equal(Enumerable.Range(1, i).Select(n => $"m{n}"), queue.Select(d => Encoding.UTF8.GetString(d.Message.Payload.Span)));
        }
    }

    [Fact]
    public async Task Pubacks_and_pubrecs_wait_for_every_subscriber_and_keep_the_publish_order()
    {
        await using var broker = await TestBroker.StartAsync(("Session:AcknowledgeAfterPersist", "true"));
        var online = broker.CreateClient("online");
        await online.ConnectAsync();
        await online.SubscribeAsync("t/#", MqttQoS.ExactlyOnce);
        var offline = broker.CreateClient("offline");
        await offline.ConnectAsync(cleanStart: false, properties: Expiry60);
        await offline.SubscribeAsync("t/a", MqttQoS.AtLeastOnce);
        await offline.LoseConnectionAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();

        var first = await publisher.PublishAsync("t/a", "to both", MqttQoS.AtLeastOnce);
        var second = await publisher.PublishAsync("t/b", "to one", MqttQoS.ExactlyOnce);
        var third = await publisher.PublishAsync("t/c", "to one", MqttQoS.AtLeastOnce);

        Assert.Equal(first, (await publisher.Connection.ExpectAsync<PubAckPacket>()).PacketId);
        Assert.Equal(second, (await publisher.Connection.ExpectAsync<PubRecPacket>()).PacketId);
        Assert.Equal(third, (await publisher.Connection.ExpectAsync<PubAckPacket>()).PacketId);
        Assert.Equal(["to both", "to one", "to one"], (await online.DrainAsync()).OfType<PublishPacket>().Select(p => p.Text()));
    }

    [Fact]
    public async Task A_publish_nobody_subscribed_to_is_acknowledged_at_once_with_no_matching_subscribers()
    {
        await using var broker = await TestBroker.StartAsync(("Session:AcknowledgeAfterPersist", "true"));
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();

        var packetId = await publisher.PublishAsync("nobody", "x", MqttQoS.AtLeastOnce);

        var ack = await publisher.Connection.ExpectAsync<PubAckPacket>();
        Assert.Equal(packetId, ack.PacketId);
        Assert.Equal(ReasonCode.NoMatchingSubscribers, ack.ReasonCode);
    }
}
