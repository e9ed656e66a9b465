using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Gateway;

/// <summary>
/// Serves MQTT over WebSocket on the WebSocket listener's port and path: the upgrade is accepted with subprotocol
/// <c>mqtt</c> (or the older <c>mqttv3.1</c>) and the WebSocket runs as an ordinary <see cref="MqttConnection"/>.
/// Requests to other ports pass through to the rest of the pipeline.
/// </summary>
internal sealed class MqttWebSocketMiddleware(
    RequestDelegate next,
    MqttGateway gateway,
    MqttListeners listeners,
    IOptions<MqttOptions> options,
    ILogger<MqttWebSocketMiddleware> logger)
{
    private static readonly string[] SupportedSubProtocols = ["mqtt", "mqttv3.1"];

    public async Task InvokeAsync(HttpContext context)
    {
        var endPoint = listeners.WebSocketEndPoint;
        if (endPoint is null || context.Connection.LocalPort != endPoint.Port)
        {
            await next(context);
            return;
        }

        var mqtt = options.Value;
        if (!context.Request.Path.Equals(mqtt.WebSocket.Path, StringComparison.Ordinal))
        {
            GatewayLog.DebugWebSocketRefused(logger, $"path {context.Request.Path} is not {mqtt.WebSocket.Path}");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            GatewayLog.DebugWebSocketRefused(logger, "not a WebSocket upgrade");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var subProtocol = ChooseSubProtocol(requested);
        if (subProtocol is null && requested.Count > 0)
        {
            GatewayLog.DebugWebSocketRefused(logger, "no MQTT subprotocol offered");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        var pipe = new WebSocketDuplexPipe(socket, MqttKestrelSetup.ReadBufferLimit(mqtt));
        var pumping = pipe.RunAsync(mqtt.CloseTimeout);
        var remote = context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort) : null;
        await gateway.RunConnectionAsync(pipe, pipe.Abort, remote, MqttTransport.WebSocket);
        await pumping;
    }

    private static string? ChooseSubProtocol(IList<string> requested)
    {
        foreach (var supported in SupportedSubProtocols)
        {
            for (var i = 0; i < requested.Count; i++)
            {
                if (string.Equals(requested[i], supported, StringComparison.OrdinalIgnoreCase))
                {
                    return requested[i];
                }
            }
        }

        return null;
    }
}
