using System.Text;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class PublishSubscribeTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Theory]
    [MemberData(nameof(VersionsAndQoS), MemberType = typeof(TestData))]
    public async Task Message_is_delivered_end_to_end_at_the_published_qos(MqttProtocolVersion version, MqttQoS qos)
    {
        var topic = Unique("e2e") + "/temperature";
        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("sub"), version);
        await subscriber.SubscribeAsync(topic, MqttQoS.ExactlyOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), version);

        await publisher.PublishAsync(topic, "21.5", qos);

        var received = await subscriber.ExpectPublishAsync(topic);
        Assert.Equal("21.5", Text(received));
        Assert.Equal(qos, received.QoS);
        Assert.False(received.Retain);
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Messages_from_one_publisher_arrive_in_order(MqttProtocolVersion version)
    {
        var topic = Unique("order");
        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("sub"), version);
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), version);

        for (var i = 0; i < 50; i++)
        {
            await publisher.SendAsync(new PublishPacket(topic, Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), MqttQoS.AtLeastOnce, false, false, publisher.NextPacketId(), MqttProperties.Empty));
        }

        for (var i = 0; i < 50; i++)
        {
            var received = await subscriber.ExpectPublishAsync(topic);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(received));
        }
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Retained_message_is_delivered_to_a_late_wildcard_subscriber(MqttProtocolVersion version)
    {
        var root = Unique("retained");
        await using (var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), version))
        {
            await publisher.PublishAsync(root + "/kitchen/light", "on", MqttQoS.AtLeastOnce, retain: true);
            await publisher.DisconnectAsync();
        }

        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("late"), version);
        await subscriber.SubscribeAsync(root + "/#", MqttQoS.AtLeastOnce);

        var received = await subscriber.ExpectPublishAsync(root + "/kitchen/light");
        Assert.Equal("on", Text(received));
        Assert.True(received.Retain);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, false)]
    [InlineData(MqttProtocolVersion.V311, true)]
    [InlineData(MqttProtocolVersion.V500, false)]
    [InlineData(MqttProtocolVersion.V500, true)]
    public async Task Will_is_published_when_the_socket_closes_without_disconnect(MqttProtocolVersion version, bool reset)
    {
        var willTopic = Unique("will") + "/status";
        await using var watcher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("watch"), version);
        await watcher.SubscribeAsync(willTopic, MqttQoS.AtLeastOnce);
        var dying = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);
        var will = new WillMessage(willTopic, Encoding.UTF8.GetBytes("offline"), MqttQoS.AtLeastOnce, false, MqttProperties.Empty);
        Assert.Equal(ReasonCode.Success, (await dying.ConnectAsync(Unique("dying"), version, will: will)).ReasonCode);

        if (reset)
        {
            dying.Transport.Abort();
        }

        await dying.DisposeAsync();

        var received = await watcher.ExpectPublishAsync(willTopic);
        Assert.Equal("offline", Text(received));
    }

    [Fact]
    public async Task Topic_aliases_work_in_both_directions()
    {
        var topic = Unique("alias") + "/sensor";
        await using var subscriber = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);
        await subscriber.ConnectAsync(Unique("sub"), MqttProtocolVersion.V500, properties: new MqttProperties { TopicAliasMaximum = 5 });
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), MqttProtocolVersion.V500);

        await publisher.PublishAsync(topic, "first", MqttQoS.AtLeastOnce, properties: new MqttProperties { TopicAlias = 3 });
        await publisher.PublishAsync("", "second", MqttQoS.AtLeastOnce, properties: new MqttProperties { TopicAlias = 3 });

        var first = await subscriber.NextAsync<PublishPacket>();
        Assert.Equal(topic, first.Topic);
        Assert.Equal("first", Text(first));
        var alias = Assert.NotNull(first.Properties.TopicAlias);
        var second = await subscriber.NextAsync<PublishPacket>();
        Assert.Equal("", second.Topic);
        Assert.Equal(alias, second.Properties.TopicAlias);
        Assert.Equal("second", Text(second));
    }

    [Fact]
    public async Task Subscriber_without_topic_aliases_gets_full_topics()
    {
        var topic = Unique("noalias");
        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("sub"), MqttProtocolVersion.V500);
        await subscriber.SubscribeAsync(topic, MqttQoS.AtMostOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), MqttProtocolVersion.V500);

        await publisher.PublishAsync(topic, "x", MqttQoS.AtLeastOnce, properties: new MqttProperties { TopicAlias = 1 });

        var received = await subscriber.ExpectPublishAsync(topic);
        Assert.Null(received.Properties.TopicAlias);
    }
}
