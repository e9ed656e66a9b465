using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Gateway;

/// <summary>
/// The gateway's part in the host's lifecycle. Once every hosted service has started (Kestrel has bound), it logs
/// each MQTT listener with its bound end point. When the host starts stopping, before any hosted service stops (so
/// before Kestrel and before the grain runtime), it closes every MQTT connection: MQTT 5 clients get DISCONNECT
/// Server Shutting Down (0x8B) and the sessions hear of the lost connections while the runtime still runs.
/// </summary>
internal sealed class MqttGatewayService(
    MqttListeners listeners,
    MqttConnectionTracker tracker,
    IOptions<MqttOptions> options,
    ILogger<MqttGatewayService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (listeners.TcpEndPoint is { } tcp)
        {
            GatewayLog.InformationListening(logger, "TCP", tcp, "");
        }

        if (listeners.WebSocketEndPoint is { } webSocket)
        {
            GatewayLog.InformationListening(logger, "WebSocket", webSocket, options.Value.WebSocket.Path);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => tracker.CloseAllAsync(options.Value.CloseTimeout);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
