using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Sessions;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests;

// QoS 2 exactly once under durable delivery: a message is identified by its publisher's client id and sequence, a
// publisher records a QoS 2 PUBLISH before routing it and routes it again with the same sequence, and a subscriber
// acknowledges a copy it already has or had without delivering it again.
public sealed class ExactlyOnceTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };
    private static readonly (string, string) Durable = ("Session:AcknowledgeAfterPersist", "true");

    [Fact]
    public async Task A_qos2_copy_sent_again_while_the_first_is_queued_is_delivered_once()
    {
        await using var broker = await TestBroker.StartAsync(Durable);
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.LoseConnectionAsync();

        Tell(broker, "sub", Copy("m", sequence: 1));
        Tell(broker, "sub", Copy("m", sequence: 1));
        Tell(broker, "sub", Copy("other", sequence: 2));
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);

        var delivered = (await subscriber.DrainAsync()).OfType<PublishPacket>().Select(p => p.Text());
        Assert.Equal(["m", "other"], delivered);
        Assert.Equal(1, broker.Counters.Dropped(DropReason.Duplicate));
    }

    [Fact]
    public async Task A_qos2_copy_sent_again_after_its_client_completed_it_is_not_delivered_again()
    {
        await using var broker = await TestBroker.StartAsync(Durable);
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);

        Tell(broker, "sub", Copy("m", sequence: 1));
        await CompleteAsync(subscriber, "m");
        Tell(broker, "sub", Copy("m", sequence: 1));

        await subscriber.ExpectNothingMoreAsync();
        Assert.Equal(1, broker.Counters.Dropped(DropReason.Duplicate));
    }

    [Fact]
    public async Task A_completed_qos2_message_is_forgotten_after_the_duplicate_window()
    {
        await using var broker = await TestBroker.StartAsync(Durable, ("Session:Qos2DuplicateWindow", "00:01:00"));
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        Tell(broker, "sub", Copy("m", sequence: 1));
        await CompleteAsync(subscriber, "m");

        broker.Clock.Advance(TimeSpan.FromSeconds(59));
        Tell(broker, "sub", Copy("m", sequence: 1));
        await subscriber.ExpectNothingMoreAsync();
        broker.Clock.Advance(TimeSpan.FromSeconds(2));
        Tell(broker, "sub", Copy("m", sequence: 1));

        Assert.Equal("m", (await subscriber.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Only_the_most_recent_completed_qos2_messages_up_to_the_limit_are_remembered()
    {
        await using var broker = await TestBroker.StartAsync(Durable, ("Session:Qos2DuplicateMaxIds", "1"));
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        Tell(broker, "sub", Copy("first", sequence: 1));
        await CompleteAsync(subscriber, "first");
        Tell(broker, "sub", Copy("second", sequence: 2));
        await CompleteAsync(subscriber, "second");

        Tell(broker, "sub", Copy("second", sequence: 2));
        Tell(broker, "sub", Copy("first", sequence: 1));

        Assert.Equal("first", (await subscriber.ExpectPublishAsync()).Text());
        await subscriber.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task A_subscriber_stores_its_clients_pubrec_before_the_pubrel_and_still_refuses_the_copy_after_a_crash()
    {
        await using var broker = await TestBroker.StartAsync(Durable);
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        Tell(broker, "sub", Copy("m", sequence: 1));
        var publish = await subscriber.ExpectPublishAsync();
        await subscriber.SendAsync(new PubRecPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.Connection.ExpectAsync<PubRelPacket>();

        var stored = await ReadSessionAsync(broker, "sub");
        Assert.Equal(InflightStage.AwaitingPubComp, Assert.Single(stored.Inflight).Stage);
        Assert.Equal(1, Assert.Single(stored.CompletedMessages!).Sequence);

        await subscriber.SendAsync(new PubCompPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await using var restarted = await broker.RestartAfterCrashAsync("sub");
        var back = restarted.CreateClient("sub");
        await back.ConnectAsync(cleanStart: false, properties: Expiry60);
        Assert.Equal(publish.PacketId, (await back.Connection.ExpectAsync<PubRelPacket>()).PacketId);
        Tell(restarted, "sub", Copy("m", sequence: 1));

        await back.ExpectNothingMoreAsync();
        Assert.Equal(1, restarted.Counters.Dropped(DropReason.Duplicate));
    }

    [Fact]
    public async Task A_qos2_publish_of_a_persistent_session_is_recorded_in_storage_before_it_is_routed_and_released_before_pubcomp()
    {
        await using var broker = await TestBroker.StartAsync(Durable);
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("t", MqttQoS.ExactlyOnce);
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync(cleanStart: false, properties: Expiry60);

        var packetId = await publisher.PublishAsync("t", "m", MqttQoS.ExactlyOnce);
        await subscriber.ExpectPublishAsync();

        var recorded = Assert.Single((await ReadSessionAsync(broker, "pub")).RecordedPublishes!);
        Assert.Equal(packetId, recorded.PacketId);
        Assert.Equal("m", Encoding.UTF8.GetString(recorded.Message!.Payload.Span));
        Assert.Equal(packetId, (await publisher.Connection.ExpectAsync<PubRecPacket>()).PacketId);
        await publisher.SendAsync(new PubRelPacket(packetId, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal(ReasonCode.Success, (await publisher.Connection.ExpectAsync<PubCompPacket>()).ReasonCode);
        var released = await ReadSessionAsync(broker, "pub");
        Assert.Null(released.RecordedPublishes);
        Assert.Empty(released.AwaitingRelease);
    }

    [Fact]
    public async Task A_publisher_restarted_after_a_crash_routes_a_resent_qos2_publish_with_the_same_id_so_the_subscriber_gets_it_once()
    {
        await using var broker = await TestBroker.StartAsync(Durable);
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("t", MqttQoS.ExactlyOnce);
        await subscriber.LoseConnectionAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync(cleanStart: false, properties: Expiry60);
        var publish = new PublishPacket("t", Encoding.UTF8.GetBytes("once"), MqttQoS.ExactlyOnce, false, false, 7, MqttProperties.Empty);
        await publisher.SendAsync(publish);
        Assert.Equal(7, (await publisher.Connection.ExpectAsync<PubRecPacket>()).PacketId);

        // The crash takes what both sessions had stored: the subscriber's queue and the publisher's record, which
        // still holds the message (its PUBREC is not written anywhere).
        await using var restarted = await broker.RestartAfterCrashAsync("pub", "sub");
        var back = restarted.CreateClient("sub");
        await back.ConnectAsync(cleanStart: false, properties: Expiry60);
        Assert.Equal("once", (await back.ExpectPublishAsync()).Text());
        await back.SubscribeAsync("t", MqttQoS.ExactlyOnce);
        var resent = restarted.CreateClient("pub");
        await resent.ConnectAsync(cleanStart: false, properties: Expiry60);
        await resent.SendAsync(publish with { Dup = true });

        var pubRec = await resent.Connection.ExpectAsync<PubRecPacket>();
        Assert.Equal((7, ReasonCode.Success), (pubRec.PacketId, pubRec.ReasonCode));
        await resent.SendAsync(new PubRelPacket(7, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal(ReasonCode.Success, (await resent.Connection.ExpectAsync<PubCompPacket>()).ReasonCode);
        await back.ExpectNothingMoreAsync();
        Assert.True(restarted.Counters.Dropped(DropReason.Duplicate) >= 1);
    }

    [Fact]
    public async Task A_publisher_restarted_after_a_crash_between_recording_and_routing_routes_the_resent_publish()
    {
        await using var broker = await TestBroker.StartAsync(Durable);
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync(cleanStart: false, properties: Expiry60);
        var publish = new PublishPacket("t", Encoding.UTF8.GetBytes("late"), MqttQoS.ExactlyOnce, false, false, 3, MqttProperties.Empty);
        await publisher.SendAsync(publish);
        Assert.Equal(ReasonCode.NoMatchingSubscribers, (await publisher.Connection.ExpectAsync<PubRecPacket>()).ReasonCode);

        // Nobody was subscribed, so the stored record is what a silo leaves that died after writing it and before
        // routing the message anywhere.
        await using var restarted = await broker.RestartAfterCrashAsync("pub");
        var subscriber = restarted.CreateClient("sub");
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("t", MqttQoS.ExactlyOnce);
        var resent = restarted.CreateClient("pub");
        await resent.ConnectAsync(cleanStart: false, properties: Expiry60);
        await resent.SendAsync(publish with { Dup = true });

        Assert.Equal(ReasonCode.Success, (await resent.Connection.ExpectAsync<PubRecPacket>()).ReasonCode);
        Assert.Equal("late", (await subscriber.ExpectPublishAsync()).Text());
        await subscriber.ExpectNothingMoreAsync();
    }

    private static DeliverMessage Copy(string payload, long sequence) =>
        new(
            new BrokerMessage("t", Encoding.UTF8.GetBytes(payload), MqttQoS.ExactlyOnce, false, null, null),
            MqttQoS.ExactlyOnce,
            false,
            [],
            new DeliveryReceipt("elsewhere", sequence));

    private static void Tell(TestBroker broker, string clientId, DeliverMessage deliver) =>
        broker.GrainFactory.GetGrain(GrainTypes.Session, clientId).Tell(deliver);

    private static async Task CompleteAsync(TestClient client, string payload)
    {
        var publish = await client.ExpectPublishAsync();
        Assert.Equal(payload, publish.Text());
        await client.SendAsync(new PubRecPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await client.Connection.ExpectAsync<PubRelPacket>();
        await client.SendAsync(new PubCompPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty));
    }

    private static async Task<SessionState> ReadSessionAsync(TestBroker broker, string clientId)
    {
        var stored = await broker.Storage.ReadAsync(new GrainId(GrainTypes.Session, clientId), default);
        return new CompactJsonStateCodec<SessionState>().Decode(stored!.Value.State.Span);
    }
}
