using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class FlowControlTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public async Task Inflight_window_is_limited_by_the_clients_receive_maximum_and_the_rest_waits_in_order()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(properties: new MqttProperties { ReceiveMaximum = 2 });
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);

        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync("t", $"m{i}", MqttQoS.AtLeastOnce);
        }

        var m0 = await subscriber.ExpectPublishAsync();
        var m1 = await subscriber.ExpectPublishAsync();
        await subscriber.ExpectNothingMoreAsync();
        await subscriber.SendAsync(new PubAckPacket(m0.PacketId, ReasonCode.Success, MqttProperties.Empty));
        var m2 = await subscriber.ExpectPublishAsync();
        await subscriber.ExpectNothingMoreAsync();
        await subscriber.SendAsync(new PubAckPacket(m1.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.SendAsync(new PubAckPacket(m2.PacketId, ReasonCode.Success, MqttProperties.Empty));
        var m3 = await subscriber.ExpectPublishAsync();
        var m4 = await subscriber.ExpectPublishAsync();

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], new[] { m0, m1, m2, m3, m4 }.Select(p => p.Text()));
    }

    [Fact]
    public async Task Inflight_window_is_limited_by_max_inflight_when_the_client_allows_more()
    {
        await using var broker = await TestBroker.StartAsync(("Session:MaxInflight", "1"));
        var (publisher, subscriber) = await QoSFlowTests.ConnectPairAsync(broker, MqttQoS.ExactlyOnce);

        await publisher.PublishAsync("t", "first", MqttQoS.ExactlyOnce);
        await publisher.PublishAsync("t", "second", MqttQoS.AtLeastOnce);

        var first = await subscriber.ExpectPublishAsync();
        await subscriber.ExpectNothingMoreAsync();
        await subscriber.SendAsync(new PubRecPacket(first.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.Connection.ExpectAsync<PubRelPacket>();
        await subscriber.ExpectNothingMoreAsync();
        await subscriber.SendAsync(new PubCompPacket(first.PacketId, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal("second", (await subscriber.ExpectPublishAsync()).Text());
    }

    [Theory]
    [InlineData("DropOldest", new[] { "m2", "m3", "m4" })]
    [InlineData("DropNewest", new[] { "m0", "m1", "m2" })]
    public async Task Offline_queue_keeps_at_most_the_configured_messages_and_drops_by_the_overflow_policy(string policy, string[] expected)
    {
        await using var broker = await TestBroker.StartAsync(("Session:MaxQueuedMessages", "3"), ("Session:QueueOverflow", policy));
        var (publisher, subscriber) = await ConnectOfflineSubscriberAsync(broker, MqttQoS.AtLeastOnce);

        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync("t", $"m{i}", MqttQoS.AtLeastOnce);
        }

        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        var received = new List<string>();
        for (var i = 0; i < expected.Length; i++)
        {
            received.Add((await subscriber.ExpectPublishAsync()).Text());
        }

        await subscriber.ExpectNothingMoreAsync();
        Assert.Equal(expected, received);
        Assert.Equal(2, broker.Counters.Dropped(DropReason.QueueFull));
    }

    [Fact]
    public async Task Qos0_messages_are_queued_for_an_offline_session_by_default()
    {
        await using var broker = await TestBroker.StartAsync();
        var (publisher, subscriber) = await ConnectOfflineSubscriberAsync(broker, MqttQoS.AtMostOnce);

        await publisher.PublishAsync("t", "kept");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);

        Assert.Equal("kept", (await subscriber.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Qos0_messages_for_an_offline_session_are_dropped_when_queue_qos0_is_off()
    {
        await using var broker = await TestBroker.StartAsync(("Session:QueueQoS0", "false"));
        var (publisher, subscriber) = await ConnectOfflineSubscriberAsync(broker, MqttQoS.AtLeastOnce);

        await publisher.PublishAsync("t", "dropped");
        await publisher.PublishAsync("t", "queued", MqttQoS.AtLeastOnce);
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);

        Assert.Equal("queued", (await subscriber.ExpectPublishAsync()).Text());
        await subscriber.ExpectNothingMoreAsync();
        Assert.Equal(1, broker.Counters.Dropped(DropReason.Offline));
    }

    [Fact]
    public async Task Message_larger_than_the_clients_maximum_packet_size_is_dropped_and_counted()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(properties: new MqttProperties { MaximumPacketSize = 64 });
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);

        await publisher.PublishAsync("t", "small", MqttQoS.AtLeastOnce);
        await publisher.PublishAsync("t", new string('x', 100), MqttQoS.AtLeastOnce);
        await publisher.PublishAsync("t", "small again");

        Assert.Equal("small", (await subscriber.ExpectPublishAsync()).Text());
        Assert.Equal("small again", (await subscriber.ExpectPublishAsync()).Text());
        Assert.Equal(1, broker.Counters.Dropped(DropReason.TooLarge));
    }

    private static async Task<(TestClient Publisher, TestClient Subscriber)> ConnectOfflineSubscriberAsync(TestBroker broker, MqttQoS qos)
    {
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("t", qos);
        await subscriber.DisconnectAsync();
        return (publisher, subscriber);
    }
}
