using GrainMQ.Gateway;
using GrainMQ.Observability.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GrainMQ.Observability.Health;

/// <summary>
/// Readiness of the listeners: every enabled MQTT listener (and the HTTP one) is bound, and the application is not
/// stopping. Registered with the <see cref="HealthTags.Ready"/> tag; a cluster adds its membership check with the
/// same tag, and <c>/healthz/ready</c> needs all of them healthy.
/// </summary>
internal sealed class ListenersReadyCheck(HostState host, MqttListeners mqtt, IOptions<MqttOptions> options, HttpEndpoint http) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (host.Stopping)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the broker is stopping: its listeners are closing"));
        }

        if (!host.ListenersUp)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the listeners are not bound yet"));
        }

        var mqttOptions = options.Value;
        var down = new List<string>();
        if (mqttOptions.Tcp.Enabled && mqtt.TcpEndPoint is not { Port: > 0 })
        {
            down.Add("mqtt tcp");
        }

        if (mqttOptions.WebSocket.Enabled && mqtt.WebSocketEndPoint is not { Port: > 0 })
        {
            down.Add("mqtt websocket");
        }

        if (down.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("not bound: " + string.Join(", ", down)));
        }

        var bound = new List<string>(3);
        if (mqtt.TcpEndPoint is { } tcp)
        {
            bound.Add("mqtt tcp " + tcp);
        }

        if (mqtt.WebSocketEndPoint is { } webSocket)
        {
            bound.Add("mqtt websocket " + webSocket);
        }

        if (http.EndPoint is { } httpEndPoint)
        {
            bound.Add("http " + httpEndPoint);
        }

        return Task.FromResult(HealthCheckResult.Healthy("listening: " + string.Join(", ", bound)));
    }
}

/// <summary>The tags that select health checks for the two endpoints.</summary>
public static class HealthTags
{
    /// <summary><c>/healthz/live</c>: the process can serve at all (no check is registered by default: answering is enough).</summary>
    public const string Live = "live";

    /// <summary><c>/healthz/ready</c>: the broker should get traffic (listeners bound; in a cluster, membership joined).</summary>
    public const string Ready = "ready";
}
