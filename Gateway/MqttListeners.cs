using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GrainMQ.Gateway;

/// <summary>
/// The MQTT listeners Kestrel was told to open. Once the host has started, the end points are the bound ones (with
/// the real port when <c>Port</c> was 0), so tests and tools can find the broker.
/// </summary>
public sealed class MqttListeners
{
    private ListenOptions? _tcp;
    private ListenOptions? _webSocket;

    /// <summary>The MQTT over TCP end point, or null when that listener is disabled.</summary>
    public IPEndPoint? TcpEndPoint => _tcp?.IPEndPoint;

    /// <summary>The MQTT over WebSocket end point, or null when that listener is disabled.</summary>
    public IPEndPoint? WebSocketEndPoint => _webSocket?.IPEndPoint;

    internal void SetTcp(ListenOptions listenOptions) => _tcp = listenOptions;

    internal void SetWebSocket(ListenOptions listenOptions) => _webSocket = listenOptions;
}
