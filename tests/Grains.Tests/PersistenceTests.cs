using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Sessions;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests;

public sealed class PersistenceTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public void Session_state_survives_its_codec_unchanged_and_leaves_out_absent_values()
    {
        var codec = new CompactJsonStateCodec<SessionState>();
        var withProperties = new BrokerMessage(
            "a/b",
            Encoding.UTF8.GetBytes("payload"),
            MqttQoS.ExactlyOnce,
            true,
            new MessageProperties(1, "text/plain", "resp", Encoding.UTF8.GetBytes("corr"), [new UserProperty("k", "v")]),
            1_700_000_000_000);
        var plain = new BrokerMessage("c", Encoding.UTF8.GetBytes("x"), MqttQoS.AtMostOnce, false, null, null);
        var state = new SessionState
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            Connection = new ObserverId("silo", 7),
            SessionExpiryInterval = 60,
            ReceiveMaximum = 10,
            Subscriptions = { ["a/+"] = new SubscriptionOptions(MqttQoS.AtLeastOnce, true, false, RetainHandling.DoNotSend, 3) },
            Inflight = { new InflightMessage(5, InflightStage.AwaitingPubRec, new PendingDelivery(withProperties, MqttQoS.ExactlyOnce, false, [3], new DeliveryReceipt("pub", 42))), new InflightMessage(6, InflightStage.AwaitingPubComp, null) },
            AwaitingRelease = { 9, 10 },
            Will = new WillState(plain, 30, 5),
            WillDueAtUnixMs = 1_700_000_005_000,
            LastPacketId = 6,
            RecordedPublishes = [new RecordedPublish(9, 43, withProperties), new RecordedPublish(10, 44, null)],
            LastRecordedSequence = 44,
            CompletedMessages = new Queue<CompletedMessage>([new CompletedMessage("other", 7, 1_700_000_000_500)]),
        };
        state.Queue.Enqueue(new PendingDelivery(plain, MqttQoS.AtMostOnce, false, []));

        var bytes = codec.Encode(state);
        var decoded = codec.Decode(bytes);

        Assert.Equal(bytes, codec.Encode(decoded));
        Assert.Equal(Encoding.UTF8.GetBytes("corr"), decoded.Inflight[0].Delivery!.Message.Properties!.CorrelationData!.Value.ToArray());
        Assert.Equal(new ObserverId("silo", 7), decoded.Connection);
        Assert.Equal(MqttQoS.AtMostOnce, decoded.Queue.Peek().QoS);
        Assert.Null(decoded.Queue.Peek().Receipt);
        Assert.Equal(new DeliveryReceipt("pub", 42), decoded.Inflight[0].Delivery!.Receipt);
        Assert.Equal(44, decoded.RecordedPublishes![1].Sequence);
        Assert.Null(decoded.RecordedPublishes[1].Message);
        Assert.Equal("other", decoded.CompletedMessages!.Peek().PublisherClientId);
        Assert.Null(codec.Decode(codec.Encode(new SessionState())).CompletedMessages);
        Assert.DoesNotContain("null", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(default, codec.Decode([]).ProtocolVersion);
    }

    [Fact]
    public async Task Inflight_and_queued_messages_of_an_offline_session_survive_its_deactivation()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.2"));
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");
        var connectProperties = new MqttProperties { SessionExpiryInterval = 60, ReceiveMaximum = 1 };
        await subscriber.ConnectAsync(cleanStart: false, properties: connectProperties);
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce, subscriptionId: 4);
        var properties = new MqttProperties { CorrelationData = Encoding.UTF8.GetBytes("c1"), UserProperties = [new UserProperty("n", "1")] };
        await publisher.PublishAsync("t", "first", MqttQoS.AtLeastOnce, properties: properties);
        await publisher.PublishAsync("t", "second", MqttQoS.AtLeastOnce);
        var first = await subscriber.ExpectPublishAsync();
        var collected = broker.WhenDeactivated(GrainTypes.Session, "sub");

        await subscriber.LoseConnectionAsync();
        await collected;
        await subscriber.ConnectAsync(cleanStart: false, properties: connectProperties);

        Assert.Equal(first with { Dup = true }, await subscriber.ExpectPublishAsync());
        await subscriber.ExpectNothingMoreAsync();
        await subscriber.SendAsync(new PubAckPacket(first.PacketId, ReasonCode.Success, MqttProperties.Empty));
        var second = await subscriber.ExpectPublishAsync();
        Assert.Equal("second", second.Text());
        Assert.Equal([4u], second.Properties.SubscriptionIdentifiers);
    }

    [Fact]
    public async Task Inbound_qos2_packet_ids_survive_deactivation_so_a_resent_publish_is_not_routed_twice()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.2"));
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("t", MqttQoS.ExactlyOnce);
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync(cleanStart: false, properties: Expiry60);
        var packet = new PublishPacket("t", Encoding.UTF8.GetBytes("once"), MqttQoS.ExactlyOnce, false, false, 7, MqttProperties.Empty);
        await publisher.SendAsync(packet);
        await publisher.Connection.ExpectAsync<PubRecPacket>();
        var collected = broker.WhenDeactivated(GrainTypes.Session, "pub");

        await publisher.LoseConnectionAsync();
        await collected;
        await publisher.ConnectAsync(cleanStart: false, properties: Expiry60);
        await publisher.SendAsync(packet with { Dup = true });
        await publisher.SendAsync(new PubRelPacket(7, ReasonCode.Success, MqttProperties.Empty));

        Assert.Equal(7, (await publisher.Connection.ExpectAsync<PubRecPacket>()).PacketId);
        Assert.Equal(ReasonCode.Success, (await publisher.Connection.ExpectAsync<PubCompPacket>()).ReasonCode);
        var delivered = (await subscriber.DrainAsync()).OfType<PublishPacket>().ToList();
        Assert.Equal("once", Assert.Single(delivered).Text());
    }
}
