using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests.Infrastructure;

/// <summary>Plays a gateway connection's part for one client id: sends what the gateway would send its session.</summary>
internal sealed class TestClient
{
    private readonly TestBroker _broker;
    private ushort _lastPacketId;

    public TestClient(TestBroker broker, string clientId)
    {
        _broker = broker;
        ClientId = clientId;
        Session = broker.GrainFactory.GetGrain(GrainTypes.Session, clientId);
    }

    public string ClientId { get; }

    public GrainReference Session { get; }

    /// <summary>The current connection (a new one per <see cref="ConnectAsync"/>).</summary>
    public TestConnection Connection { get; private set; } = new();

    public async Task<ConnAckPacket> ConnectAsync(
        bool cleanStart = true,
        MqttProtocolVersion version = MqttProtocolVersion.V500,
        MqttProperties? properties = null,
        WillMessage? will = null)
    {
        Connection = new TestConnection();
        Connection.Id = _broker.Observers.Register(Connection);
        var connect = new ConnectPacket(version, ClientId, cleanStart, 60, null, null, will, properties ?? MqttProperties.Empty);
        var result = await Session.AskAsync<SessionConnectResult>(new SessionConnect(Connection.Id, connect, ClientId, MqttProperties.Empty));
        var connAck = await Connection.ExpectAsync<ConnAckPacket>();
        Assert.True(result.Accepted);
        Assert.Equal(result.SessionPresent, connAck.SessionPresent);
        return connAck;
    }

    public Task SendAsync(MqttPacket packet) => Session.AskAsync<PacketHandled>(new SessionPacket(Connection.Id, packet));

    /// <summary>Sends a PUBLISH; returns its packet id (0 for QoS 0).</summary>
    public async Task<ushort> PublishAsync(
        string topic,
        string payload,
        MqttQoS qos = MqttQoS.AtMostOnce,
        bool retain = false,
        MqttProperties? properties = null)
    {
        var packetId = qos == MqttQoS.AtMostOnce ? (ushort)0 : ++_lastPacketId;
        await SendAsync(new PublishPacket(topic, Encoding.UTF8.GetBytes(payload), qos, retain, false, packetId, properties ?? MqttProperties.Empty));
        return packetId;
    }

    public async Task<SubAckPacket> SubscribeAsync(
        string filter,
        MqttQoS qos = MqttQoS.AtMostOnce,
        bool noLocal = false,
        bool retainAsPublished = false,
        RetainHandling retainHandling = RetainHandling.SendAtSubscribe,
        uint subscriptionId = 0)
    {
        var properties = subscriptionId == 0 ? MqttProperties.Empty : new MqttProperties { SubscriptionIdentifiers = [subscriptionId] };
        var packetId = ++_lastPacketId;
        await SendAsync(new SubscribePacket(packetId, [new TopicSubscription(filter, qos, noLocal, retainAsPublished, retainHandling)], properties));
        var subAck = await Connection.ExpectAsync<SubAckPacket>();
        Assert.Equal(packetId, subAck.PacketId);
        return subAck;
    }

    public Task DisconnectAsync(ReasonCode reasonCode = ReasonCode.NormalDisconnection, uint? sessionExpiryInterval = null) =>
        Session.AskAsync<PacketHandled>(new SessionDisconnect(Connection.Id, reasonCode, sessionExpiryInterval));

    public Task LoseConnectionAsync() => Session.AskAsync<PacketHandled>(new ConnectionLost(Connection.Id, ReasonCode.UnspecifiedError));

    public Task<PublishPacket> ExpectPublishAsync() => Connection.ExpectAsync<PublishPacket>();

    /// <summary>
    /// A round trip through the session's mailbox: everything sent to the session before this call has been handled
    /// once it returns, with what the session sent meanwhile (so "nothing was delivered" is checked without waiting
    /// for time to pass).
    /// </summary>
    public async Task<List<object>> DrainAsync()
    {
        var packetId = ++_lastPacketId;
        await SendAsync(new UnsubscribePacket(packetId, ["$test/sync"], MqttProperties.Empty));
        var received = new List<object>();
        while (true)
        {
            var next = await Connection.ReadAsync();
            if (next is UnsubAckPacket unsubAck && unsubAck.PacketId == packetId)
            {
                return received;
            }

            received.Add(next);
        }
    }

    /// <summary>Fails when the session sent anything not read yet (see <see cref="DrainAsync"/>).</summary>
    public async Task ExpectNothingMoreAsync() => Assert.Empty(await DrainAsync());
}

/// <summary>Payload helpers.</summary>
internal static class Payloads
{
    public static string Text(this PublishPacket packet) => Encoding.UTF8.GetString(packet.Payload.Span);
}
