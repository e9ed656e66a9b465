using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class RetainedMessageTests
{
    [Fact]
    public async Task Retained_message_is_delivered_to_a_late_wildcard_subscriber_with_the_retain_flag()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        await publisher.PublishAsync("sensors/kitchen/temp", "21", MqttQoS.AtLeastOnce, retain: true);
        await publisher.PublishAsync("sensors/hall/temp", "19", retain: true);

        var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("sensors/+/temp", MqttQoS.AtLeastOnce);

        var first = await subscriber.ExpectPublishAsync();
        var second = await subscriber.ExpectPublishAsync();
        Assert.True(first.Retain);
        Assert.True(second.Retain);
        Assert.Equal(["19", "21"], new[] { first.Text(), second.Text() }.Order());
        var qos1 = first.Text() == "21" ? first : second;
        Assert.Equal(MqttQoS.AtLeastOnce, qos1.QoS);
    }

    [Fact]
    public async Task Retained_message_is_replaced_by_a_newer_one_and_cleared_by_an_empty_payload()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var subscriber = await ConnectAsync(broker, "sub");

        await publisher.PublishAsync("state", "old", retain: true);
        await publisher.PublishAsync("state", "new", retain: true);
        await subscriber.SubscribeAsync("state");
        Assert.Equal("new", (await subscriber.ExpectPublishAsync()).Text());

        await publisher.PublishAsync("state", "", retain: true);
        var clearing = await subscriber.ExpectPublishAsync();
        Assert.True(clearing.Payload.IsEmpty);
        Assert.False(clearing.Retain);

        var late = await ConnectAsync(broker, "late");
        await late.SubscribeAsync("#");
        await late.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Normal_delivery_clears_the_retain_flag_unless_the_subscription_keeps_it()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var plain = await ConnectAsync(broker, "plain");
        var keeping = await ConnectAsync(broker, "keeping");
        await plain.SubscribeAsync("t");
        await keeping.SubscribeAsync("t", retainAsPublished: true);

        await publisher.PublishAsync("t", "r", retain: true);

        Assert.False((await plain.ExpectPublishAsync()).Retain);
        Assert.True((await keeping.ExpectPublishAsync()).Retain);
    }

    [Theory]
    [InlineData(RetainHandling.SendAtSubscribe, 2)]
    [InlineData(RetainHandling.SendAtSubscribeIfNew, 1)]
    [InlineData(RetainHandling.DoNotSend, 0)]
    public async Task Retain_handling_decides_whether_a_subscribe_gets_the_retained_message(RetainHandling handling, int expectedDeliveries)
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        await publisher.PublishAsync("t", "retained", retain: true);
        var subscriber = await ConnectAsync(broker, "sub");

        var subscribe = new SubscribePacket(1, [new TopicSubscription("t", MqttQoS.AtMostOnce, false, false, handling)], MqttProperties.Empty);
        await subscriber.SendAsync(subscribe);
        await subscriber.SendAsync(subscribe with { PacketId = 2 });

        var received = await subscriber.DrainAsync();
        Assert.Equal(2, received.OfType<SubAckPacket>().Count());
        Assert.Equal(expectedDeliveries, received.OfType<PublishPacket>().Count(p => p.Retain && p.Text() == "retained"));
    }

    [Fact]
    public async Task Expired_retained_message_is_not_delivered()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        await publisher.PublishAsync("t", "short lived", retain: true, properties: new MqttProperties { MessageExpiryInterval = 10 });
        await publisher.PublishAsync("u", "long lived", retain: true, properties: new MqttProperties { MessageExpiryInterval = 100 });
        broker.Clock.Advance(TimeSpan.FromSeconds(11));

        var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("#");

        var delivered = await subscriber.ExpectPublishAsync();
        Assert.Equal("long lived", delivered.Text());
        Assert.InRange(delivered.Properties.MessageExpiryInterval ?? 0, 88u, 89u);
        await subscriber.ExpectNothingMoreAsync();
        Assert.Equal(1, broker.Counters.Dropped(DropReason.Expired));
    }

    [Fact]
    public async Task Shared_subscription_gets_no_retained_messages()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        await publisher.PublishAsync("jobs/1", "retained", retain: true);
        var worker = await ConnectAsync(broker, "worker");

        await worker.SubscribeAsync("$share/g/jobs/#");

        await worker.ExpectNothingMoreAsync();
    }

    private static async Task<TestClient> ConnectAsync(TestBroker broker, string clientId)
    {
        var client = broker.CreateClient(clientId);
        await client.ConnectAsync();
        return client;
    }
}
