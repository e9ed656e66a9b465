using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Routing;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests;

public sealed class SessionExpiryTests
{
    [Fact]
    public async Task Session_ends_when_its_expiry_elapses_and_its_subscriptions_go_with_it()
    {
        await using var broker = await TestBroker.StartAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var client = broker.CreateClient("c");
        var expiry = new MqttProperties { SessionExpiryInterval = 1 };
        await client.ConnectAsync(cleanStart: false, properties: expiry);
        await client.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        var ended = broker.WhenDeactivated(GrainTypes.Session, "c");

        await client.LoseConnectionAsync();
        await ended;
        await publisher.PublishAsync("t", "nobody", MqttQoS.AtLeastOnce);

        Assert.Equal(ReasonCode.NoMatchingSubscribers, (await publisher.Connection.ExpectAsync<PubAckPacket>()).ReasonCode);
        Assert.False((await client.ConnectAsync(cleanStart: false, properties: expiry)).SessionPresent);
    }

    [Fact]
    public async Task Hibernated_session_ends_when_its_expiry_elapses_without_any_further_traffic()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.1"));
        var sessionId = new GrainId(GrainTypes.Session, "c");
        var hibernated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDeactivated(GrainId id, DeactivationReason reason)
        {
            if (id == sessionId)
            {
                // Hibernation is an idle collection; the session that ended itself asks to be deactivated.
                (reason == DeactivationReason.IdleTimeout ? hibernated : ended).TrySetResult();
            }
        }

        var client = broker.CreateClient("c");
        await client.ConnectAsync(cleanStart: false, properties: new MqttProperties { SessionExpiryInterval = 1 });
        await client.SubscribeAsync("t/+", MqttQoS.AtLeastOnce);
        broker.Statistics.Deactivated += OnDeactivated;
        try
        {
            await client.DisconnectAsync();
            await hibernated.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(ended.Task.IsCompleted, "the session hibernated before it expired");

            await ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            broker.Statistics.Deactivated -= OnDeactivated;
        }

        var matches = new List<SubscriberMatch>();
        broker.Index.Match("t/x", null, matches);
        Assert.Empty(matches);
        Assert.Null(await broker.Storage.ReadAsync(sessionId, CancellationToken.None));
        Assert.Equal(0, broker.ExpiryReminders.Count);
    }

    [Fact]
    public async Task Session_that_expired_while_deactivated_is_ended_when_next_activated()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.2"));
        var client = broker.CreateClient("c");
        var expiry = new MqttProperties { SessionExpiryInterval = 60 };
        await client.ConnectAsync(cleanStart: false, properties: expiry);
        await client.SubscribeAsync("t");
        var collected = broker.WhenDeactivated(GrainTypes.Session, "c");
        await client.DisconnectAsync();
        await collected;

        broker.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.False((await client.ConnectAsync(cleanStart: false, properties: expiry)).SessionPresent);
    }

    [Fact]
    public async Task Session_that_has_not_expired_survives_deactivation()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.2"));
        var client = broker.CreateClient("c");
        var expiry = new MqttProperties { SessionExpiryInterval = 60 };
        await client.ConnectAsync(cleanStart: false, properties: expiry);
        var collected = broker.WhenDeactivated(GrainTypes.Session, "c");
        await client.DisconnectAsync();
        await collected;

        broker.Clock.Advance(TimeSpan.FromSeconds(59));

        Assert.True((await client.ConnectAsync(cleanStart: false, properties: expiry)).SessionPresent);
    }

    [Fact]
    public async Task Session_with_expiry_zero_ends_at_disconnect()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("c");
        await client.ConnectAsync(cleanStart: false);
        await client.SubscribeAsync("t");

        await client.DisconnectAsync();

        Assert.False((await client.ConnectAsync(cleanStart: false)).SessionPresent);
    }

    [Fact]
    public async Task Disconnect_may_shorten_the_session_expiry_to_zero()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("c");
        await client.ConnectAsync(cleanStart: false, properties: new MqttProperties { SessionExpiryInterval = 60 });

        await client.DisconnectAsync(sessionExpiryInterval: 0);

        Assert.False((await client.ConnectAsync(cleanStart: false)).SessionPresent);
    }
}
