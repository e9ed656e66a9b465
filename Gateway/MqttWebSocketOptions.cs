namespace GrainMQ.Gateway;

/// <summary>The MQTT over WebSocket listener (<c>Mqtt:WebSocket</c>).</summary>
public sealed class MqttWebSocketOptions : MqttListenerOptions
{
    /// <summary><c>Path</c>: the request path that accepts the WebSocket upgrade. Default <c>/mqtt</c>.</summary>
    public string Path { get; set; } = "/mqtt";
}
