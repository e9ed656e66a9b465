using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class MalformedInputTests(LimitsBrokerFixture broker) : IClassFixture<LimitsBrokerFixture>
{
    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Subscribe_with_wrong_header_flags_is_malformed_and_the_broker_keeps_serving(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("bad"), version);

        // SUBSCRIBE must have flags 0b0010; these have 0b0000.
        byte[] subscribe = version == MqttProtocolVersion.V500
            ? [0x80, 7, 0, 1, 0, 0, 1, (byte)'a', 0]
            : [0x80, 6, 0, 1, 0, 1, (byte)'a', 0];
        await client.SendRawAsync(subscribe);

        await client.WaitClosedAsync();
        if (version == MqttProtocolVersion.V500)
        {
            var disconnect = await client.NextAsync<DisconnectPacket>();
            Assert.Equal(ReasonCode.MalformedPacket, disconnect.ReasonCode);
        }

        await using var next = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("good"), version);
        await next.SendAsync(PingReqPacket.Instance);
        await next.NextAsync<PingRespPacket>();
    }

    [Fact]
    public async Task Publish_with_qos_3_is_malformed()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("qos3"), MqttProtocolVersion.V500);

        await client.SendRawAsync(new byte[] { 0x36, 7, 0, 1, (byte)'t', 0, 1, 0, (byte)'x' });

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.MalformedPacket, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Publish_to_a_wildcard_topic_is_refused_with_topic_name_invalid()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("wild"), MqttProtocolVersion.V500);

        await client.SendAsync(new PublishPacket("a/+/c", new byte[] { 1 }, MqttQoS.AtMostOnce, false, false, 0, MqttProperties.Empty));

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.TopicNameInvalid, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Bytes_that_are_not_mqtt_close_the_connection_without_an_answer()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        await client.SendRawAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        await client.WaitClosedAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NextAsync());
    }

    [Fact]
    public async Task First_packet_other_than_connect_closes_the_connection()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        await client.SendAsync(PingReqPacket.Instance);

        await client.WaitClosedAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NextAsync());
    }
}
