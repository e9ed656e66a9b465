namespace GrainMQ.Gateway;

/// <summary>
/// Settings of the MQTT gateway, bound from the configuration section <c>Mqtt</c>. Every limit the gateway enforces
/// is one of these keys; the defaults suit a single broker process.
/// </summary>
public sealed class MqttOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mqtt";

    /// <summary>
    /// <c>Mqtt:Host</c>: the address the listeners bind to. <c>0.0.0.0</c>, <c>*</c> or empty bind every interface
    /// (IPv6 and IPv4 where available); <c>localhost</c> binds the IPv4 loopback; anything else must be an IP address.
    /// Default <c>0.0.0.0</c>.
    /// </summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary><c>Mqtt:Tcp</c>: the MQTT over TCP listener (default port 1883).</summary>
    public MqttTcpOptions Tcp { get; set; } = new() { Port = 1883 };

    /// <summary><c>Mqtt:WebSocket</c>: the MQTT over WebSocket listener (default port 8083, path <c>/mqtt</c>).</summary>
    public MqttWebSocketOptions WebSocket { get; set; } = new() { Port = 8083 };

    /// <summary>
    /// <c>Mqtt:MaxConnections</c>: the most connections one listener serves at once. A client beyond it is answered
    /// CONNACK Server Busy (0x89; return code 3 Server Unavailable for MQTT 3) and closed. Default 100000.
    /// </summary>
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>
    /// <c>Mqtt:ConnectTimeout</c>: how long a new connection may take to send its CONNECT before it is closed.
    /// Default 10 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>Mqtt:MaxClientIdLength</c>: the longest client identifier accepted, in characters; a longer one is refused
    /// with CONNACK Client Identifier Not Valid (0x85; return code 2 for MQTT 3). Default 256.
    /// </summary>
    public int MaxClientIdLength { get; set; } = 256;

    /// <summary>
    /// <c>Mqtt:MaxKeepAlive</c>: the longest keep-alive in seconds an MQTT 5 client may use. A client asking for more
    /// (a keep-alive of 0, meaning none, is allowed) is told this value as Server Keep Alive in CONNACK. MQTT 3 has no
    /// way to tell the client, so an MQTT 3 client keeps the keep-alive it asked for. Default 3600.
    /// </summary>
    public int MaxKeepAlive { get; set; } = 3600;

    /// <summary>
    /// <c>Mqtt:ReceiveMaximum</c>: how many QoS 1 and 2 PUBLISH packets an MQTT 5 client may have unacknowledged
    /// towards the broker (sent as Receive Maximum in CONNACK); one more is answered DISCONNECT Receive Maximum
    /// Exceeded (0x93). 1 to 65535, default 1024.
    /// </summary>
    public int ReceiveMaximum { get; set; } = 1024;

    /// <summary>
    /// <c>Mqtt:MaxPacketSize</c>: the largest packet in bytes (fixed header included) the broker accepts, sent as
    /// Maximum Packet Size in CONNACK; a larger one is answered DISCONNECT Packet Too Large (0x95) and closed. The
    /// transport buffers at most this much (plus a little) per connection. Default 1048576 (1 MiB).
    /// </summary>
    public int MaxPacketSize { get; set; } = 1_048_576;

    /// <summary>
    /// <c>Mqtt:TopicAliasMaximum</c>: how many topic aliases an MQTT 5 client may define towards the broker (sent as
    /// Topic Alias Maximum in CONNACK; 0 disables inbound aliases). 0 to 65535, default 64.
    /// </summary>
    public int TopicAliasMaximum { get; set; } = 64;

    /// <summary>
    /// <c>Mqtt:MaxPendingRequests</c>: how many packets a connection may have handed to its session grain without an
    /// answer yet. When full, the connection stops reading until the oldest is answered, which bounds the session's
    /// mailbox without a round trip per packet. Default 32.
    /// </summary>
    public int MaxPendingRequests { get; set; } = 32;

    /// <summary>
    /// <c>Mqtt:MaxQueuedMessages</c>: how many outbound packets may wait to be written to one connection. Beyond it,
    /// QoS 0 PUBLISH packets to the connection are dropped (and counted), and the connection stops reading from its
    /// client until the queue has drained to half of this (backpressure: the answers a client's packets cause, such as
    /// PINGRESP or PUBACK, cannot pile up). QoS 1 and 2 messages are always queued: the session's inflight window
    /// bounds them. Default 1000.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary>
    /// <c>Mqtt:InlineWrites</c>: when true, a packet the session sends to a connection whose write loop is idle (its
    /// outbound queue empty, no flush pending) is encoded and flushed by the session's own turn instead of waking the
    /// write loop; packets sent meanwhile queue as usual and follow it in order. Default false.
    /// </summary>
    public bool InlineWrites { get; set; }

    /// <summary>
    /// <c>Mqtt:CloseTimeout</c>: how long a closing connection may take to write its last packets (for example
    /// DISCONNECT) to a client that does not read before the socket is aborted. Default 5 seconds.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
