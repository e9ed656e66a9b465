namespace GrainMQ.Gateway;

/// <summary>Why a gateway connection ended: logged once per connection and counted in <see cref="GatewayCounters"/>.</summary>
public enum DisconnectReason
{
    /// <summary>The client sent DISCONNECT.</summary>
    ClientDisconnect,

    /// <summary>The client closed the socket (or it broke) without DISCONNECT.</summary>
    SocketClosed,

    /// <summary>Nothing arrived for one and a half keep-alive periods.</summary>
    KeepAliveTimeout,

    /// <summary>No CONNECT arrived within <see cref="MqttOptions.ConnectTimeout"/>.</summary>
    ConnectTimeout,

    /// <summary>The client broke a protocol rule (wrong first packet, a second CONNECT, a bad topic, ...).</summary>
    ProtocolError,

    /// <summary>The bytes could not be read as an MQTT packet.</summary>
    MalformedPacket,

    /// <summary>A packet was larger than <see cref="MqttOptions.MaxPacketSize"/>.</summary>
    PacketTooLarge,

    /// <summary>The client used a topic alias of 0 or above the broker's Topic Alias Maximum.</summary>
    TopicAliasInvalid,

    /// <summary>The client had more QoS 1/2 PUBLISH packets unacknowledged than the broker's Receive Maximum.</summary>
    ReceiveMaximumExceeded,

    /// <summary>The client asked for a protocol version the broker does not speak.</summary>
    UnsupportedProtocolVersion,

    /// <summary>The CONNECT was refused (client identifier, authentication method, or by the session).</summary>
    ConnectRejected,

    /// <summary>The listener already served <see cref="MqttOptions.MaxConnections"/> connections.</summary>
    ServerBusy,

    /// <summary>Another connection took over the client's session.</summary>
    SessionTakenOver,

    /// <summary>The session closed the connection for another reason.</summary>
    ClosedBySession,

    /// <summary>The broker is stopping.</summary>
    ServerShutdown,

    /// <summary>A call to the session grain failed or timed out.</summary>
    InternalError,
}
