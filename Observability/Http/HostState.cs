using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Observability.Http;

/// <summary>
/// Where the host is in its life, for readiness: the listeners count as up from the moment every hosted service has
/// started (Kestrel has bound them) until the application starts stopping (<see cref="IHostApplicationLifetime.ApplicationStopping"/>,
/// before any hosted service stops: the gateway then closes every MQTT connection and Kestrel unbinds). Logs the
/// HTTP listener once it is bound.
/// </summary>
public sealed partial class HostState(HttpEndpoint listener, IHostApplicationLifetime lifetime, ILogger<HostState> logger) : IHostedLifecycleService
{
    private volatile bool _started;

    /// <summary>Whether the listeners are bound and the application is not stopping.</summary>
    public bool ListenersUp => _started && !Stopping;

    /// <summary>Whether the application has begun to stop.</summary>
    public bool Stopping => lifetime.ApplicationStopping.IsCancellationRequested;

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (listener.EndPoint is { } endPoint)
        {
            LogListening(logger, endPoint.ToString());
        }

        _started = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening for HTTP on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);
}
