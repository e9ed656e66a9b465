using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class SysTopicsTests(SysBrokerFixture broker) : IClassFixture<SysBrokerFixture>
{
    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Sys_topics_are_published_to_subscribers(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("sys"), version);

        await client.SubscribeAsync("$SYS/#", MqttQoS.AtMostOnce);

        var received = await client.ExpectAsync<PublishPacket>();
        Assert.StartsWith("$SYS/broker/", received.Topic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wildcard_subscription_does_not_match_sys_topics()
    {
        var topic = Unique("plain");
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("hash"), MqttProtocolVersion.V500);
        await client.SubscribeAsync("#", MqttQoS.AtMostOnce);

        await client.PublishAsync(topic, "mine", MqttQoS.AtLeastOnce);

        var received = await client.ExpectAsync<PublishPacket>();
        Assert.Equal(topic, received.Topic);
    }
}
