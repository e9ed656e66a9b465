using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class SessionTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Persistent_session_is_resumed_with_session_present_and_queued_messages(MqttProtocolVersion version)
    {
        var clientId = Unique("persistent");
        var topic = Unique("queued");
        var persistent = version == MqttProtocolVersion.V500 ? new MqttProperties { SessionExpiryInterval = 300 } : MqttProperties.Empty;
        await using (var first = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint))
        {
            Assert.False((await first.ConnectAsync(clientId, version, cleanStart: false, properties: persistent)).SessionPresent);
            await first.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
            await first.DisconnectAsync();
        }

        await using (var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), version))
        {
            await publisher.PublishAsync(topic, "while you were away", MqttQoS.AtLeastOnce);
            await publisher.DisconnectAsync();
        }

        await using var resumed = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);
        var connAck = await resumed.ConnectAsync(clientId, version, cleanStart: false, properties: persistent);

        Assert.True(connAck.SessionPresent);
        var received = await resumed.ExpectPublishAsync(topic);
        Assert.Equal("while you were away", Text(received));
        Assert.Equal(MqttQoS.AtLeastOnce, received.QoS);
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task New_connection_with_the_same_client_id_takes_over_the_session(MqttProtocolVersion version)
    {
        var clientId = Unique("takeover");
        await using var old = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, version);

        await using var replacement = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, version);

        await old.WaitClosedAsync();
        if (version == MqttProtocolVersion.V500)
        {
            var disconnect = await old.NextAsync<DisconnectPacket>();
            Assert.Equal(ReasonCode.SessionTakenOver, disconnect.ReasonCode);
        }

        await replacement.SendAsync(PingReqPacket.Instance);
        await replacement.NextAsync<PingRespPacket>();
    }
}
