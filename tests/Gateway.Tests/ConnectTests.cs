using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class ConnectTests(LimitsBrokerFixture broker) : IClassFixture<LimitsBrokerFixture>
{
    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Connect_is_acknowledged_with_success(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync(Unique("connect"), version);

        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        Assert.False(connAck.SessionPresent);
    }

    [Fact]
    public async Task Connack_of_an_mqtt5_client_announces_the_broker_limits()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var properties = (await client.ConnectAsync(Unique("limits"), MqttProtocolVersion.V500)).Properties;

        Assert.Equal((ushort)LimitsBrokerFixture.ReceiveMaximum, properties.ReceiveMaximum);
        Assert.Equal((uint)LimitsBrokerFixture.MaxPacketSize, properties.MaximumPacketSize);
        Assert.Equal((ushort)LimitsBrokerFixture.TopicAliasMaximum, properties.TopicAliasMaximum);
        Assert.True(properties.RetainAvailable);
        Assert.True(properties.WildcardSubscriptionAvailable);
        Assert.True(properties.SubscriptionIdentifiersAvailable);
        Assert.True(properties.SharedSubscriptionAvailable);
        Assert.Null(properties.MaximumQoS);
        Assert.Null(properties.ServerKeepAlive);
        Assert.Null(properties.AssignedClientIdentifier);
    }

    [Fact]
    public async Task Mqtt5_client_with_an_empty_client_id_is_assigned_one()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync("", MqttProtocolVersion.V500);

        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        Assert.StartsWith("auto-", connAck.Properties.AssignedClientIdentifier, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mqtt311_client_with_an_empty_client_id_and_clean_session_is_accepted()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync("", MqttProtocolVersion.V311, cleanStart: true);

        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        await client.SubscribeAsync(Unique("anonymous") + "/#", MqttQoS.AtLeastOnce);
    }

    [Fact]
    public async Task Mqtt311_client_with_an_empty_client_id_and_no_clean_session_is_rejected()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync("", MqttProtocolVersion.V311, cleanStart: false);

        Assert.Equal(ConnectReturnCode.IdentifierRejected, ConnAckPacket.ToV3ReturnCode(connAck.ReasonCode));
        await client.WaitClosedAsync();
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Client_id_longer_than_the_maximum_is_rejected(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync(new string('x', LimitsBrokerFixture.MaxClientIdLength + 1), version);

        Assert.Equal(ReasonCode.ClientIdentifierNotValid, connAck.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Unsupported_protocol_version_is_answered_with_return_code_1_then_closed()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        // CONNECT, remaining length 13: protocol name "MQTT", level 6 (unknown), clean start, keep-alive 0, client id "a".
        await client.SendRawAsync(new byte[] { 0x10, 13, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 6, 0x02, 0, 0, 0, 1, (byte)'a' });

        var connAck = await client.NextAsync<ConnAckPacket>();
        Assert.Equal(ConnectReturnCode.UnacceptableProtocolVersion, ConnAckPacket.ToV3ReturnCode(connAck.ReasonCode));
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Enhanced_authentication_is_refused_with_bad_authentication_method()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync(Unique("auth"), MqttProtocolVersion.V500, properties: new MqttProperties { AuthenticationMethod = "SCRAM-SHA-1" });

        Assert.Equal(ReasonCode.BadAuthenticationMethod, connAck.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Keep_alive_above_the_maximum_is_lowered_with_server_keep_alive()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        var connAck = await client.ConnectAsync(Unique("keepalive"), MqttProtocolVersion.V500, keepAlive: LimitsBrokerFixture.MaxKeepAlive * 2);

        Assert.Equal((ushort)LimitsBrokerFixture.MaxKeepAlive, connAck.Properties.ServerKeepAlive);
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Ping_request_is_answered_with_ping_response(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("ping"), version);

        await client.SendAsync(PingReqPacket.Instance);

        await client.NextAsync<PingRespPacket>();
    }

    [Fact]
    public async Task Connection_without_connect_is_closed_after_the_connect_timeout()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        await client.WaitClosedAsync();
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Silent_client_is_closed_after_one_and_a_half_keep_alive_periods(MqttProtocolVersion version)
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("silent"), version, keepAlive: 1);

        await client.WaitClosedAsync();

        if (version == MqttProtocolVersion.V500)
        {
            var disconnect = await client.NextAsync<DisconnectPacket>();
            Assert.Equal(ReasonCode.KeepAliveTimeout, disconnect.ReasonCode);
        }
    }

    [Fact]
    public async Task Second_connect_is_a_protocol_error()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("twice"), MqttProtocolVersion.V500);

        await client.SendAsync(new ConnectPacket(MqttProtocolVersion.V500, "again", true, 0, null, null, null, MqttProperties.Empty));

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.ProtocolError, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }
}
