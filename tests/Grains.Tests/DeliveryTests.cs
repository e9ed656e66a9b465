using System.Text;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class DeliveryTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public async Task V5_subscriber_gets_the_publishers_properties_unchanged_and_its_subscription_identifier()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("req/+", subscriptionId: 5);
        var properties = new MqttProperties
        {
            PayloadFormatIndicator = 1,
            ContentType = "application/json",
            ResponseTopic = "resp/1",
            CorrelationData = Encoding.UTF8.GetBytes("corr"),
            UserProperties = [new UserProperty("a", "1"), new UserProperty("a", "2")],
            TopicAlias = 3,
        };

        await publisher.PublishAsync("req/1", "{}", properties: properties);

        var delivered = (await subscriber.ExpectPublishAsync()).Properties;
        Assert.Equal(
            new MqttProperties
            {
                PayloadFormatIndicator = 1,
                ContentType = "application/json",
                ResponseTopic = "resp/1",
                CorrelationData = Encoding.UTF8.GetBytes("corr"),
                UserProperties = [new UserProperty("a", "1"), new UserProperty("a", "2")],
                SubscriptionIdentifiers = [5],
            },
            delivered);
    }

    [Fact]
    public async Task V3_subscriber_gets_no_properties()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var subscriber = broker.CreateClient("v3");
        await subscriber.ConnectAsync(version: MqttProtocolVersion.V311);
        await subscriber.SubscribeAsync("t");

        await publisher.PublishAsync("t", "x", properties: new MqttProperties { ContentType = "text/plain", MessageExpiryInterval = 60 });

        Assert.Same(MqttProperties.Empty, (await subscriber.ExpectPublishAsync()).Properties);
    }

    [Fact]
    public async Task Overlapping_subscriptions_give_one_delivery_with_the_highest_qos_and_every_identifier()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("a/+", MqttQoS.AtMostOnce, subscriptionId: 1);
        await subscriber.SubscribeAsync("a/#", MqttQoS.AtLeastOnce, subscriptionId: 2);

        await publisher.PublishAsync("a/b", "once", MqttQoS.ExactlyOnce);

        var delivered = await subscriber.ExpectPublishAsync();
        Assert.Equal(MqttQoS.AtLeastOnce, delivered.QoS);
        Assert.Equal([1u, 2u], delivered.Properties.SubscriptionIdentifiers.Order());
        await subscriber.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task No_local_subscription_does_not_get_the_clients_own_messages()
    {
        await using var broker = await TestBroker.StartAsync();
        var chatter = await ConnectAsync(broker, "chatter");
        var other = await ConnectAsync(broker, "other");
        await chatter.SubscribeAsync("chat", noLocal: true);

        await chatter.PublishAsync("chat", "mine");
        await other.PublishAsync("chat", "theirs");

        Assert.Equal("theirs", (await chatter.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Shared_subscription_gives_each_message_to_one_member_of_the_group()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var worker1 = await ConnectAsync(broker, "w1");
        var worker2 = await ConnectAsync(broker, "w2");
        await worker1.SubscribeAsync("$share/workers/jobs/+", MqttQoS.AtLeastOnce);
        await worker2.SubscribeAsync("$share/workers/jobs/+", MqttQoS.AtLeastOnce);

        for (var i = 0; i < 4; i++)
        {
            await publisher.PublishAsync($"jobs/{i}", $"job {i}", MqttQoS.AtLeastOnce);
        }

        var got1 = (await worker1.DrainAsync()).OfType<PublishPacket>().Select(p => p.Text()).ToList();
        var got2 = (await worker2.DrainAsync()).OfType<PublishPacket>().Select(p => p.Text()).ToList();
        Assert.Equal(2, got1.Count);
        Assert.Equal(2, got2.Count);
        Assert.Equal(["job 0", "job 1", "job 2", "job 3"], got1.Concat(got2).Order());
    }

    [Fact]
    public async Task Message_expiry_counts_down_and_a_message_that_expires_in_the_queue_is_dropped()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = await ConnectAsync(broker, "pub");
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        await subscriber.DisconnectAsync();

        await publisher.PublishAsync("t", "short", MqttQoS.AtLeastOnce, properties: new MqttProperties { MessageExpiryInterval = 5 });
        await publisher.PublishAsync("t", "long", MqttQoS.AtLeastOnce, properties: new MqttProperties { MessageExpiryInterval = 100 });
        broker.Clock.Advance(TimeSpan.FromSeconds(30));
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);

        var delivered = await subscriber.ExpectPublishAsync();
        Assert.Equal("long", delivered.Text());
        Assert.InRange(delivered.Properties.MessageExpiryInterval ?? 0, 69u, 70u);
        await subscriber.ExpectNothingMoreAsync();
        Assert.Equal(1, broker.Counters.Dropped(DropReason.Expired));
    }

    private static async Task<TestClient> ConnectAsync(TestBroker broker, string clientId)
    {
        var client = broker.CreateClient(clientId);
        await client.ConnectAsync();
        return client;
    }
}
