namespace GrainMQ.Gateway;

/// <summary>The MQTT over TCP listener (<c>Mqtt:Tcp</c>).</summary>
public sealed class MqttTcpOptions : MqttListenerOptions
{
    /// <summary>
    /// <c>InlineScheduling</c>: Kestrel's <c>SocketTransportOptions.UnsafePreferInlineScheduling</c>. When true, a
    /// connection's read loop runs on the thread that received its bytes and Kestrel's send loop on the thread that
    /// flushed, instead of each being handed to the thread pool. It applies to Kestrel's socket transport as a whole
    /// (so also to the WebSocket and HTTP listeners of the process). Default false.
    /// </summary>
    public bool InlineScheduling { get; set; }
}
