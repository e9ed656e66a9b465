using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class SessionConnectTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public async Task First_connect_has_no_session_and_a_reconnect_without_clean_start_finds_it_with_its_subscriptions()
    {
        await using var broker = await TestBroker.StartAsync();
        var subscriber = broker.CreateClient("sub");
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();

        Assert.False((await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60)).SessionPresent);
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        await subscriber.DisconnectAsync();
        var connAck = await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await publisher.PublishAsync("t", "hello", MqttQoS.AtLeastOnce);

        Assert.True(connAck.SessionPresent);
        Assert.Equal("hello", (await subscriber.ExpectPublishAsync()).Text());
    }

    [Fact]
    public async Task Clean_start_discards_the_previous_session_and_its_subscriptions()
    {
        await using var broker = await TestBroker.StartAsync();
        var subscriber = broker.CreateClient("sub");
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("t");
        await subscriber.DisconnectAsync();

        var connAck = await subscriber.ConnectAsync(cleanStart: true, properties: Expiry60);
        await publisher.PublishAsync("t", "old subscription");

        Assert.False(connAck.SessionPresent);
        await subscriber.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Mqtt3_clean_session_0_keeps_the_session_and_clean_session_1_ends_it_at_disconnect()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("v3");

        await client.ConnectAsync(cleanStart: false, version: MqttProtocolVersion.V311);
        await client.DisconnectAsync();
        Assert.True((await client.ConnectAsync(cleanStart: false, version: MqttProtocolVersion.V311)).SessionPresent);
        await client.DisconnectAsync();
        Assert.False((await client.ConnectAsync(cleanStart: true, version: MqttProtocolVersion.V311)).SessionPresent);
        await client.DisconnectAsync();
        Assert.False((await client.ConnectAsync(cleanStart: false, version: MqttProtocolVersion.V311)).SessionPresent);
    }

    [Fact]
    public async Task Session_expiry_above_the_maximum_is_reduced_and_the_client_is_told_in_connack()
    {
        await using var broker = await TestBroker.StartAsync(("Session:MaxSessionExpiryInterval", "100"));
        var client = broker.CreateClient("c");

        var reduced = await client.ConnectAsync(properties: new MqttProperties { SessionExpiryInterval = 1000 });
        var kept = await client.ConnectAsync(properties: new MqttProperties { SessionExpiryInterval = 50 });

        Assert.Equal(100u, reduced.Properties.SessionExpiryInterval);
        Assert.Null(kept.Properties.SessionExpiryInterval);
    }

    [Fact]
    public async Task Takeover_closes_the_old_connection_with_session_taken_over_and_the_new_one_keeps_the_session()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("c");
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        await client.ConnectAsync(cleanStart: false, properties: Expiry60);
        await client.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        var oldConnection = client.Connection;

        var connAck = await client.ConnectAsync(cleanStart: false, properties: Expiry60);

        Assert.True(connAck.SessionPresent);
        var close = await oldConnection.ExpectAsync<CloseConnection>();
        Assert.Equal(ReasonCode.SessionTakenOver, close.ReasonCode);
        Assert.Equal(2, broker.Counters.ClientsConnected);

        // The old connection's late packets and its loss are ignored.
        var ignored = await client.Session.AskAsync(new SessionPacket(oldConnection.Id, new SubscribePacket(9, [new TopicSubscription("x", MqttQoS.AtMostOnce, false, false, RetainHandling.SendAtSubscribe)], MqttProperties.Empty)));
        await client.Session.AskAsync(new ConnectionLost(oldConnection.Id, ReasonCode.KeepAliveTimeout));
        Assert.Same(PacketHandled.Instance, ignored);
        Assert.True(oldConnection.IsIdle);

        await publisher.PublishAsync("t", "to the new connection", MqttQoS.AtLeastOnce);
        Assert.Equal("to the new connection", (await client.ExpectPublishAsync()).Text());
        await client.DisconnectAsync();
        Assert.Equal(1, broker.Counters.ClientsConnected);
    }

    [Fact]
    public async Task Subscribe_grants_at_most_the_configured_qos_and_refuses_an_invalid_filter()
    {
        await using var broker = await TestBroker.StartAsync(("Session:MaxQoS", "1"));
        var client = broker.CreateClient("c");
        await client.ConnectAsync();

        Assert.Equal([ReasonCode.GrantedQoS1], (await client.SubscribeAsync("a", MqttQoS.ExactlyOnce)).ReasonCodes);
        Assert.Equal([ReasonCode.GrantedQoS0], (await client.SubscribeAsync("b", MqttQoS.AtMostOnce)).ReasonCodes);
        Assert.Equal([ReasonCode.TopicFilterInvalid], (await client.SubscribeAsync("a/#/b")).ReasonCodes);
    }

    [Fact]
    public async Task Unsubscribe_reports_success_for_a_subscription_and_no_subscription_existed_otherwise()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("c");
        await client.ConnectAsync();
        await client.SubscribeAsync("a/+");

        await client.SendAsync(new UnsubscribePacket(77, ["a/+", "never"], MqttProperties.Empty));

        var unsubAck = await client.Connection.ExpectAsync<UnsubAckPacket>();
        Assert.Equal(77, unsubAck.PacketId);
        Assert.Equal([ReasonCode.Success, ReasonCode.NoSubscriptionExisted], unsubAck.ReasonCodes);
    }

    [Fact]
    public async Task No_local_on_a_shared_subscription_closes_the_connection_with_protocol_error()
    {
        await using var broker = await TestBroker.StartAsync();
        var client = broker.CreateClient("c");
        await client.ConnectAsync();

        await client.SendAsync(new SubscribePacket(1, [new TopicSubscription("$share/g/t", MqttQoS.AtMostOnce, true, false, RetainHandling.SendAtSubscribe)], MqttProperties.Empty));

        var close = await client.Connection.ExpectAsync<CloseConnection>();
        Assert.Equal(ReasonCode.ProtocolError, close.ReasonCode);
    }
}
