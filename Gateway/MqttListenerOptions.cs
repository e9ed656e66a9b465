namespace GrainMQ.Gateway;

/// <summary>One MQTT listener (<c>Mqtt:Tcp</c> or <c>Mqtt:WebSocket</c>).</summary>
public class MqttListenerOptions
{
    /// <summary><c>Enabled</c>: whether the listener is opened at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Port</c>: the port to listen on; 0 picks a free port (the bound one is logged at start).</summary>
    public int Port { get; set; }
}
