namespace GrainMQ.Gateway;

/// <summary>The listener a connection arrived on.</summary>
public enum MqttTransport
{
    /// <summary>MQTT over plain TCP.</summary>
    Tcp,

    /// <summary>MQTT over WebSocket (binary frames, subprotocol <c>mqtt</c>).</summary>
    WebSocket,
}
