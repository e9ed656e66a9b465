using System.Net;
using GrainMQ.Gateway;
using GrainMQ.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.LoadGen.Tests.Infrastructure;

/// <summary>A whole GrainMQ broker in the test process, on 127.0.0.1 with free TCP and WebSocket ports.</summary>
public sealed class InProcessBroker : IAsyncLifetime
{
    private WebApplication? _app;

    public IPEndPoint TcpEndPoint { get; private set; } = null!;

    public IPEndPoint WebSocketEndPoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Tcp:Port"] = "0",
            ["Mqtt:WebSocket:Port"] = "0",
            ["Http:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sys:Enabled"] = "false",
        };
        _app = GrainMqHost.Build([], configuration => configuration.AddInMemoryCollection(settings));
        await _app.StartAsync();
        var listeners = _app.Services.GetRequiredService<MqttListeners>();
        TcpEndPoint = listeners.TcpEndPoint ?? throw new InvalidOperationException("The broker has no TCP listener.");
        WebSocketEndPoint = listeners.WebSocketEndPoint ?? throw new InvalidOperationException("The broker has no WebSocket listener.");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
