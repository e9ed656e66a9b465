using System.Text;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class WillTests
{
    [Fact]
    public async Task Will_is_published_when_the_connection_is_lost()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = await WatchWillsAsync(broker);
        var client = broker.CreateClient("c");
        await client.ConnectAsync(will: Will("c gone"));

        await client.LoseConnectionAsync();

        Assert.Equal("c gone", (await watcher.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Will_is_published_when_the_connection_turns_out_to_be_gone_at_a_delivery()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = await WatchWillsAsync(broker);
        var client = broker.CreateClient("c");
        await client.ConnectAsync(will: Will("c vanished"));
        await client.SubscribeAsync("news");
        broker.Observers.Unregister(client.Connection.Id);

        await watcher.PublishAsync("news", "anyone?");

        Assert.Equal("c vanished", (await watcher.ExpectPublishAsync()).Text());
        Assert.Equal(1, broker.Counters.ClientsConnected);
    }

    [Fact]
    public async Task Will_is_not_published_on_a_normal_disconnect_but_is_on_disconnect_with_will_message()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = await WatchWillsAsync(broker);
        var polite = broker.CreateClient("polite");
        var explicitWill = broker.CreateClient("explicit");
        await polite.ConnectAsync(will: Will("polite gone"));
        await explicitWill.ConnectAsync(will: Will("explicit gone"));

        await polite.DisconnectAsync();
        await explicitWill.DisconnectAsync(ReasonCode.DisconnectWithWillMessage);

        Assert.Equal("explicit gone", (await watcher.ExpectPublishAsync()).Text());
        await watcher.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Will_is_published_after_its_delay_and_not_before()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = await WatchWillsAsync(broker);
        var client = broker.CreateClient("c");
        await client.ConnectAsync(
            properties: new MqttProperties { SessionExpiryInterval = 60 },
            will: Will("late", new MqttProperties { WillDelayInterval = 1 }));

        await client.LoseConnectionAsync();
        await watcher.ExpectNothingMoreAsync();

        Assert.Equal("late", (await watcher.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Session_waiting_to_publish_its_will_is_not_collected_before_the_delay()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.1"));
        var watcher = await WatchWillsAsync(broker);
        var client = broker.CreateClient("c");
        await client.ConnectAsync(
            properties: new MqttProperties { SessionExpiryInterval = 60 },
            will: Will("still there", new MqttProperties { WillDelayInterval = 1 }));

        await client.LoseConnectionAsync();

        Assert.Equal("still there", (await watcher.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Will_delay_is_cancelled_when_the_client_reconnects_in_time()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = await WatchWillsAsync(broker);
        var returning = broker.CreateClient("returning");
        var leaving = broker.CreateClient("leaving");
        var expiry = new MqttProperties { SessionExpiryInterval = 60 };
        await returning.ConnectAsync(cleanStart: false, properties: expiry, will: Will("returning gone", new MqttProperties { WillDelayInterval = 1 }));
        await leaving.ConnectAsync(properties: expiry, will: Will("leaving gone", new MqttProperties { WillDelayInterval = 2 }));

        await returning.LoseConnectionAsync();
        await returning.ConnectAsync(cleanStart: false, properties: expiry);
        await leaving.LoseConnectionAsync();

        // The leaving client's will is due a second after the returning client's would have been.
        Assert.Equal("leaving gone", (await watcher.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Will_is_published_when_the_session_expires_before_the_will_delay()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = await WatchWillsAsync(broker);
        var client = broker.CreateClient("c");
        await client.ConnectAsync(
            properties: new MqttProperties { SessionExpiryInterval = 1 },
            will: Will("session over", new MqttProperties { WillDelayInterval = 3600 }));

        await client.LoseConnectionAsync();

        Assert.Equal("session over", (await watcher.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Will_with_retain_becomes_the_retained_message_and_keeps_its_properties()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("c");
        var properties = new MqttProperties { ContentType = "text/plain", UserProperties = [new UserProperty("k", "v")] };
        await client.ConnectAsync(will: new WillMessage("wills/c", Encoding.UTF8.GetBytes("offline"), MqttQoS.AtLeastOnce, true, properties));
        await client.LoseConnectionAsync();

        var late = broker.CreateClient("late");
        await late.ConnectAsync();
        await late.SubscribeAsync("wills/#", MqttQoS.AtLeastOnce);

        var retained = await late.ExpectPublishAsync();
        Assert.True(retained.Retain);
        Assert.Equal("offline", retained.Text());
        Assert.Equal("text/plain", retained.Properties.ContentType);
        Assert.Equal([new UserProperty("k", "v")], retained.Properties.UserProperties);
    }

    private static WillMessage Will(string payload, MqttProperties? properties = null) =>
        new("wills", Encoding.UTF8.GetBytes(payload), MqttQoS.AtMostOnce, false, properties ?? MqttProperties.Empty);

    private static async Task<TestClient> WatchWillsAsync(TestBroker broker)
    {
        var watcher = broker.CreateClient("watcher");
        await watcher.ConnectAsync();
        await watcher.SubscribeAsync("wills");
        return watcher;
    }
}
