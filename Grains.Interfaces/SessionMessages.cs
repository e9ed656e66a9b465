using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Interfaces;

// Messages from a gateway connection to the client's session grain. Each carries the connection's ObserverId so
// that a session ignores packets from a connection it no longer owns (after a takeover).
// The session answers the client through the connection observer, never through the Ask reply, so that every
// packet it sends (CONNACK first, then resent and queued messages) reaches the socket in order.

/// <summary>
/// A CONNECT accepted by the gateway's checks. The session attaches the connection, takes over any older one
/// (sending it <see cref="CloseConnection"/> with <see cref="ReasonCode.SessionTakenOver"/>), sends the CONNACK
/// (with <paramref name="ConnAckProperties"/> plus anything only the session knows) to the observer, then resends
/// inflight and queued messages. <paramref name="ClientId"/> is the effective id (assigned by the gateway when the
/// client sent an empty one).
/// </summary>
public sealed record SessionConnect(ObserverId Connection, ConnectPacket Connect, string ClientId, MqttProperties ConnAckProperties);

/// <summary>Reply to <see cref="SessionConnect"/>.</summary>
public sealed record SessionConnectResult(bool Accepted, bool SessionPresent, ReasonCode ReasonCode);

/// <summary>
/// A packet from the client after CONNECT: PUBLISH (topic alias already resolved by the gateway), PUBACK, PUBREC,
/// PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE. Sent with AskAsync; the reply is <see cref="PacketHandled"/> and only
/// bounds how many packets a connection has in flight towards its session.
/// </summary>
public sealed record SessionPacket(ObserverId Connection, MqttPacket Packet);

/// <summary>Reply to <see cref="SessionPacket"/>.</summary>
public sealed record PacketHandled
{
    /// <summary>The shared instance.</summary>
    public static PacketHandled Instance { get; } = new();
}

/// <summary>
/// The client sent DISCONNECT. <see cref="ReasonCode.DisconnectWithWillMessage"/> publishes the will; any other
/// reason discards it. A v5 client may change its session expiry interval here (not from zero to non-zero).
/// </summary>
public sealed record SessionDisconnect(ObserverId Connection, ReasonCode ReasonCode, uint? SessionExpiryInterval);

/// <summary>
/// The connection ended without a DISCONNECT from the client (socket closed, keep-alive timeout, protocol error,
/// server shutdown). The will is published (after its delay) and session expiry starts.
/// </summary>
public sealed record ConnectionLost(ObserverId Connection, ReasonCode ReasonCode);
