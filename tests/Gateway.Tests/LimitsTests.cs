using System.Text;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class LimitsTests(LimitsBrokerFixture broker) : IClassFixture<LimitsBrokerFixture>
{
    [Fact]
    public async Task Publishing_beyond_the_receive_maximum_is_disconnected_with_0x93()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("greedy"), MqttProtocolVersion.V500);

        // QoS 2 without PUBREL: each PUBLISH stays unacknowledged until PUBCOMP, so the count only grows.
        for (ushort packetId = 1; packetId <= LimitsBrokerFixture.ReceiveMaximum + 1; packetId++)
        {
            await client.SendAsync(new PublishPacket(Unique("flood"), Encoding.UTF8.GetBytes("x"), MqttQoS.ExactlyOnce, false, false, packetId, MqttProperties.Empty));
        }

        var disconnect = await client.ExpectAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.ReceiveMaximumExceeded, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Publishing_up_to_the_receive_maximum_with_acknowledgements_in_between_is_allowed()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("steady"), MqttProtocolVersion.V500);

        for (var i = 0; i < LimitsBrokerFixture.ReceiveMaximum * 3; i++)
        {
            await client.PublishAsync(Unique("steady"), "x", MqttQoS.ExactlyOnce);
        }

        await client.SendAsync(PingReqPacket.Instance);
        await client.NextAsync<PingRespPacket>();
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Packet_larger_than_the_maximum_packet_size_is_refused(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("big"), version);

        // Only the fixed header of a PUBLISH announcing 5000 bytes: the broker refuses it before the body.
        await client.SendRawAsync(new byte[] { 0x30, 0x88, 0x27 });

        await client.WaitClosedAsync();
        if (version == MqttProtocolVersion.V500)
        {
            var disconnect = await client.NextAsync<DisconnectPacket>();
            Assert.Equal(ReasonCode.PacketTooLarge, disconnect.ReasonCode);
        }
    }

    [Fact]
    public async Task Message_larger_than_the_client_maximum_packet_size_is_not_delivered()
    {
        var topic = Unique("small");
        await using var subscriber = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);
        await subscriber.ConnectAsync(Unique("sub"), MqttProtocolVersion.V500, properties: new MqttProperties { MaximumPacketSize = 128 });
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), MqttProtocolVersion.V500);

        await publisher.PublishAsync(topic, new string('b', 500), MqttQoS.AtLeastOnce);
        await publisher.PublishAsync(topic, "fits", MqttQoS.AtLeastOnce);

        var received = await subscriber.NextAsync<PublishPacket>();
        Assert.Equal("fits", Text(received));
    }

    [Fact]
    public async Task Topic_alias_above_the_maximum_is_disconnected_with_0x94()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("alias"), MqttProtocolVersion.V500);

        await client.SendAsync(new PublishPacket("a/b", Encoding.UTF8.GetBytes("x"), MqttQoS.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = LimitsBrokerFixture.TopicAliasMaximum + 1 }));

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.TopicAliasInvalid, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Undefined_topic_alias_is_a_protocol_error()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("alias"), MqttProtocolVersion.V500);

        await client.SendAsync(new PublishPacket("", Encoding.UTF8.GetBytes("x"), MqttQoS.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 2 }));

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.ProtocolError, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Disconnect_raising_the_session_expiry_from_zero_is_a_protocol_error()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("expiry"), MqttProtocolVersion.V500);

        await client.SendAsync(new DisconnectPacket(ReasonCode.NormalDisconnection, new MqttProperties { SessionExpiryInterval = 60 }));

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.ProtocolError, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }
}
