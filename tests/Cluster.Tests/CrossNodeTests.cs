using System.Text;
using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Cluster.Tests;

// Black box: two silos and two gateway processes on loopback, real PostgreSQL. Clients connect to the gateway
// processes (A and B) and to the gateways the silos co-host.
[Collection(ProcessClusterCollection.Name)]
public sealed class CrossNodeTests(ProcessCluster cluster)
{
    [Theory]
    [InlineData(MqttQoS.AtMostOnce)]
    [InlineData(MqttQoS.AtLeastOnce)]
    [InlineData(MqttQoS.ExactlyOnce)]
    public async Task A_publish_through_gateway_A_reaches_a_subscriber_on_gateway_B(MqttQoS qos)
    {
        var topic = ProcessCluster.Unique("cross/" + qos);
        var (subscriber, _) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, ProcessCluster.Unique("sub"));
        await using var _s = subscriber;
        await subscriber.SubscribeAsync(topic, qos);
        var (publisher, _) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, ProcessCluster.Unique("pub"));
        await using var _p = publisher;

        for (var i = 1; i <= 5; i++)
        {
            await publisher.PublishAsync(topic, $"m{i}", qos);
        }

        for (var i = 1; i <= 5; i++)
        {
            var message = await subscriber.NextMessageAsync();
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(message.Payload.Span));
            Assert.Equal(qos, message.QoS);
        }
    }

    [Fact]
    public async Task Qos2_messages_between_persistent_sessions_on_two_gateways_arrive_once_each_in_order()
    {
        var topic = ProcessCluster.Unique("exactly-once");
        var (subscriber, _) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, ProcessCluster.Unique("sub"), sessionExpiry: 300);
        await using var _s = subscriber;
        await subscriber.SubscribeAsync(topic, MqttQoS.ExactlyOnce);
        var (publisher, _) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, ProcessCluster.Unique("pub"), sessionExpiry: 300);
        await using var _p = publisher;

        // Each flow ends with PUBCOMP: the publisher's record was written before routing and removed before PUBCOMP,
        // and the subscriber wrote its client's PUBREC before its PUBREL.
        for (var i = 1; i <= 5; i++)
        {
            await publisher.PublishAsync(topic, $"m{i}", MqttQoS.ExactlyOnce);
        }

        await publisher.PublishAsync(topic, "end", MqttQoS.ExactlyOnce);
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal($"m{i}", Encoding.UTF8.GetString((await subscriber.NextMessageAsync()).Payload.Span));
        }

        Assert.Equal("end", Encoding.UTF8.GetString((await subscriber.NextMessageAsync()).Payload.Span));
    }

    [Fact]
    public async Task A_retained_message_published_on_one_silo_reaches_a_late_subscriber_through_another_gateway()
    {
        var topic = ProcessCluster.Unique("retained");
        var (publisher, _) = await TestMqttClient.ConnectAsync(cluster.SiloA.MqttPort, ProcessCluster.Unique("pub"));
        await using (publisher)
        {
            await publisher.PublishAsync(topic + "/x", "kept", MqttQoS.AtLeastOnce, retain: true);
        }

        foreach (var port in new[] { cluster.SiloB.MqttPort, cluster.GatewayA.MqttPort, cluster.GatewayB.MqttPort })
        {
            var (late, _) = await TestMqttClient.ConnectAsync(port, ProcessCluster.Unique("late"));
            await using var _l = late;
            await late.SubscribeAsync(topic + "/#", MqttQoS.AtLeastOnce);
            var message = await late.NextMessageAsync();
            Assert.Equal("kept", Encoding.UTF8.GetString(message.Payload.Span));
            Assert.True(message.Retain);
        }
    }

    [Fact]
    public async Task The_will_of_a_client_lost_on_gateway_A_reaches_a_subscriber_on_gateway_B()
    {
        var topic = ProcessCluster.Unique("will");
        var (subscriber, _) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, ProcessCluster.Unique("watcher"));
        await using var _s = subscriber;
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        var will = new WillMessage(topic, "gone"u8.ToArray(), MqttQoS.AtLeastOnce, false, MqttProperties.Empty);
        var (dying, _) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, ProcessCluster.Unique("dying"), will: will);

        dying.Abort();
        await dying.DisposeAsync();

        Assert.Equal("gone", Encoding.UTF8.GetString((await subscriber.NextMessageAsync()).Payload.Span));
    }

    [Fact]
    public async Task A_shared_subscription_spread_over_two_gateways_delivers_each_message_to_exactly_one_member()
    {
        var topic = ProcessCluster.Unique("shared");
        var filter = $"$share/{ProcessCluster.Unique("group")}/{topic}";
        var (first, _) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, ProcessCluster.Unique("member"));
        var (second, _) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, ProcessCluster.Unique("member"));
        await using var _1 = first;
        await using var _2 = second;
        await first.SubscribeAsync(filter, MqttQoS.AtLeastOnce);
        await second.SubscribeAsync(filter, MqttQoS.AtLeastOnce);
        await first.SubscribeAsync(topic + "/end", MqttQoS.AtLeastOnce);
        await second.SubscribeAsync(topic + "/end", MqttQoS.AtLeastOnce);
        var (publisher, _) = await TestMqttClient.ConnectAsync(cluster.SiloB.MqttPort, ProcessCluster.Unique("pub"));
        await using var _p = publisher;

        const int count = 20;
        for (var i = 0; i < count; i++)
        {
            await publisher.PublishAsync(topic, $"s{i}", MqttQoS.AtLeastOnce);
        }

        // The end marker goes to both members on a plain subscription, after every share: what came before it is all.
        await publisher.PublishAsync(topic + "/end", "end", MqttQoS.AtLeastOnce);
        var received = new List<string>();
        received.AddRange(await ReadUntilEndAsync(first));
        received.AddRange(await ReadUntilEndAsync(second));

        Assert.Equal(count, received.Count);
        Assert.Equal(count, received.Distinct().Count());
    }

    private static async Task<List<string>> ReadUntilEndAsync(TestMqttClient client)
    {
        var payloads = new List<string>();
        while (true)
        {
            var payload = Encoding.UTF8.GetString((await client.NextMessageAsync()).Payload.Span);
            if (payload == "end")
            {
                return payloads;
            }

            payloads.Add(payload);
        }
    }

    [Fact]
    public async Task A_persistent_session_resumes_through_another_gateway_with_its_queued_messages()
    {
        var topic = ProcessCluster.Unique("resume");
        var clientId = ProcessCluster.Unique("roamer");
        var (before, firstConnAck) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, clientId, cleanStart: true, sessionExpiry: 300);
        Assert.False(firstConnAck.SessionPresent);
        await before.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await before.DisconnectAsync();
        await before.DisposeAsync();

        var (publisher, _) = await TestMqttClient.ConnectAsync(cluster.SiloA.MqttPort, ProcessCluster.Unique("pub"));
        await using (publisher)
        {
            for (var i = 1; i <= 3; i++)
            {
                await publisher.PublishAsync(topic, $"queued {i}", MqttQoS.AtLeastOnce);
            }
        }

        var (after, connAck) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, clientId, cleanStart: false, sessionExpiry: 300);
        await using var _a = after;
        Assert.True(connAck.SessionPresent);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal($"queued {i}", Encoding.UTF8.GetString((await after.NextMessageAsync()).Payload.Span));
        }
    }

    [Fact]
    public async Task A_connection_on_gateway_B_takes_the_session_over_from_gateway_A()
    {
        var clientId = ProcessCluster.Unique("twice");
        var (first, _) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, clientId, cleanStart: false, sessionExpiry: 60);
        await using var _f = first;
        var topic = ProcessCluster.Unique("takeover");
        await first.SubscribeAsync(topic, MqttQoS.AtLeastOnce);

        var (second, connAck) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, clientId, cleanStart: false, sessionExpiry: 60);
        await using var _s = second;

        Assert.True(connAck.SessionPresent);
        var disconnect = await first.Closed.WaitAsync(TestMqttClient.DefaultTimeout);
        Assert.Equal(ReasonCode.SessionTakenOver, disconnect?.ReasonCode);
        var (publisher, _) = await TestMqttClient.ConnectAsync(cluster.SiloB.MqttPort, ProcessCluster.Unique("pub"));
        await using var _p = publisher;
        await publisher.PublishAsync(topic, "to the new connection", MqttQoS.AtLeastOnce);
        Assert.Equal("to the new connection", Encoding.UTF8.GetString((await second.NextMessageAsync()).Payload.Span));
    }
}
