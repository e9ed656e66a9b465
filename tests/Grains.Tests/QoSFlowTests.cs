using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Sessions;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests;

public sealed class QoSFlowTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public async Task Qos1_publish_is_acknowledged_and_delivered_with_a_packet_id_until_the_subscriber_acknowledges()
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, subscriber) = await ConnectPairAsync(broker, MqttQoS.AtLeastOnce);

        var packetId = await publisher.PublishAsync("t", "m1", MqttQoS.AtLeastOnce);

        var ack = await publisher.Connection.ExpectAsync<PubAckPacket>();
        Assert.Equal(packetId, ack.PacketId);
        Assert.Equal(ReasonCode.Success, ack.ReasonCode);
        var delivered = await subscriber.ExpectPublishAsync();
        Assert.Equal(MqttQoS.AtLeastOnce, delivered.QoS);
        Assert.NotEqual(0, delivered.PacketId);
        Assert.False(delivered.Dup);
        Assert.False(delivered.Retain);
        await subscriber.SendAsync(new PubAckPacket(delivered.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Qos1_publish_without_subscribers_is_acknowledged_with_no_matching_subscribers_and_counted()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();

        await publisher.PublishAsync("nobody/listens", "m", MqttQoS.AtLeastOnce);

        var ack = await publisher.Connection.ExpectAsync<PubAckPacket>();
        Assert.Equal(ReasonCode.NoMatchingSubscribers, ack.ReasonCode);
        Assert.Equal(1, broker.Counters.Dropped(DropReason.NoSubscribers));
        Assert.Equal(1, broker.Counters.MessagesReceived);
    }

    [Fact]
    public async Task Delivered_qos_is_the_lower_of_published_and_granted()
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, subscriber) = await ConnectPairAsync(broker, MqttQoS.AtLeastOnce);

        await publisher.PublishAsync("t", "qos2", MqttQoS.ExactlyOnce);
        await publisher.PublishAsync("t", "qos0", MqttQoS.AtMostOnce);

        Assert.Equal(MqttQoS.AtLeastOnce, (await subscriber.ExpectPublishAsync()).QoS);
        Assert.Equal(MqttQoS.AtMostOnce, (await subscriber.ExpectPublishAsync()).QoS);
    }

    [Fact]
    public async Task Inbound_qos2_is_routed_once_even_when_resent_and_released_by_pubrel()
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, subscriber) = await ConnectPairAsync(broker, MqttQoS.ExactlyOnce);
        var packet = new PublishPacket("t", Encoding.UTF8.GetBytes("once"), MqttQoS.ExactlyOnce, false, false, 42, MqttProperties.Empty);

        await publisher.SendAsync(packet);
        await publisher.SendAsync(packet with { Dup = true });

        Assert.Equal(42, (await publisher.Connection.ExpectAsync<PubRecPacket>()).PacketId);
        Assert.Equal(42, (await publisher.Connection.ExpectAsync<PubRecPacket>()).PacketId);
        await publisher.SendAsync(new PubRelPacket(42, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal(new PubCompPacket(42, ReasonCode.Success, MqttProperties.Empty), await publisher.Connection.ExpectAsync<PubCompPacket>());
        await publisher.SendAsync(new PubRelPacket(42, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal(ReasonCode.PacketIdentifierNotFound, (await publisher.Connection.ExpectAsync<PubCompPacket>()).ReasonCode);

        Assert.Equal("once", (await subscriber.ExpectPublishAsync()).Text());
        await publisher.PublishAsync("t", "marker");
        Assert.Equal("marker", (await subscriber.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Outbound_qos2_goes_publish_pubrec_pubrel_pubcomp()
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, subscriber) = await ConnectPairAsync(broker, MqttQoS.ExactlyOnce);

        await publisher.PublishAsync("t", "exactly once", MqttQoS.ExactlyOnce);
        var delivered = await subscriber.ExpectPublishAsync();
        await subscriber.SendAsync(new PubRecPacket(delivered.PacketId, ReasonCode.Success, MqttProperties.Empty));
        var release = await subscriber.Connection.ExpectAsync<PubRelPacket>();
        await subscriber.SendAsync(new PubCompPacket(delivered.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.SendAsync(new PubRecPacket(999, ReasonCode.Success, MqttProperties.Empty));

        Assert.Equal(MqttQoS.ExactlyOnce, delivered.QoS);
        Assert.Equal(new PubRelPacket(delivered.PacketId, ReasonCode.Success, MqttProperties.Empty), release);
        Assert.Equal(new PubRelPacket(999, ReasonCode.PacketIdentifierNotFound, MqttProperties.Empty), await subscriber.Connection.ExpectAsync<PubRelPacket>());
        await subscriber.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Reconnect_resends_unacknowledged_publishes_with_dup_and_repeats_pubrel()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("q2", MqttQoS.ExactlyOnce);
        await subscriber.SubscribeAsync("q1", MqttQoS.AtLeastOnce);
        await publisher.PublishAsync("q2", "two", MqttQoS.ExactlyOnce);
        await publisher.PublishAsync("q1", "one", MqttQoS.AtLeastOnce);
        var two = await subscriber.ExpectPublishAsync();
        var one = await subscriber.ExpectPublishAsync();
        await subscriber.SendAsync(new PubRecPacket(two.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.Connection.ExpectAsync<PubRelPacket>();

        await subscriber.LoseConnectionAsync();
        Assert.True((await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60)).SessionPresent);

        Assert.Equal(new PubRelPacket(two.PacketId, ReasonCode.Success, MqttProperties.Empty), await subscriber.Connection.ExpectAsync<PubRelPacket>());
        Assert.Equal(one with { Dup = true }, await subscriber.ExpectPublishAsync());
        await subscriber.SendAsync(new PubCompPacket(two.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.SendAsync(new PubAckPacket(one.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Outbound_packet_ids_in_use_are_distinct_and_never_zero()
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, subscriber) = await ConnectPairAsync(broker, MqttQoS.AtLeastOnce);

        var ids = new HashSet<ushort>();
        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync("t", $"m{i}", MqttQoS.AtLeastOnce);
            ids.Add((await subscriber.ExpectPublishAsync()).PacketId);
        }

        Assert.Equal(5, ids.Count);
        Assert.DoesNotContain((ushort)0, ids);
    }

    [Fact]
    public async Task Outbound_packet_ids_wrap_after_65535_and_skip_ids_still_in_use()
    {
        await using var broker = await TestBroker.StartAsync();
        var stored = new SessionState
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            SessionExpiryInterval = 60,
            DisconnectedAtUnixMs = broker.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Inflight = { new InflightMessage(65535, InflightStage.AwaitingPubComp, null), new InflightMessage(1, InflightStage.AwaitingPubComp, null) },
            LastPacketId = 65534,
        };
        await broker.Storage.WriteAsync(new GrainId(GrainTypes.Session, "sub"), new CompactJsonStateCodec<SessionState>().Encode(stored), expectedVersion: 0, CancellationToken.None);
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");

        Assert.True((await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60)).SessionPresent);
        Assert.Equal(65535, (await subscriber.Connection.ExpectAsync<PubRelPacket>()).PacketId);
        Assert.Equal(1, (await subscriber.Connection.ExpectAsync<PubRelPacket>()).PacketId);
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        await publisher.PublishAsync("t", "next", MqttQoS.AtLeastOnce);

        Assert.Equal(2, (await subscriber.ExpectPublishAsync()).PacketId);
    }

    internal static async Task<(TestClient Publisher, TestClient Subscriber)> ConnectPairAsync(TestBroker broker, MqttQoS subscriptionQoS, string filter = "t")
    {
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync(filter, subscriptionQoS);
        return (publisher, subscriber);
    }
}
