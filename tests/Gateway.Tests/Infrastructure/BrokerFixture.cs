using System.Net;
using GrainMQ.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>
/// A whole broker in the test process (the same host <c>dotnet run --project Silo</c> starts), listening on
/// 127.0.0.1 with free ports for MQTT over TCP and WebSocket.
/// </summary>
public class BrokerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public WebApplication App => _app ?? throw new InvalidOperationException("The broker has not started.");

    public IPEndPoint TcpEndPoint { get; private set; } = null!;

    public Uri WebSocketUri { get; private set; } = null!;

    public IServiceProvider Services => App.Services;

    /// <summary>Settings shared by every test broker: loopback, free ports, quiet logs, no $SYS churn.</summary>
    public static Dictionary<string, string?> BaseSettings() => new()
    {
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Tcp:Port"] = "0",
        ["Mqtt:WebSocket:Port"] = "0",
        ["Http:Port"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Sys:Enabled"] = "false",
    };

    /// <summary>Starts a broker with <see cref="BaseSettings"/> plus <paramref name="settings"/>.</summary>
    public static async Task<WebApplication> StartBrokerAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var all = BaseSettings();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = GrainMqHost.Build([], configuration => configuration.AddInMemoryCollection(all));
        await app.StartAsync();
        return app;
    }

    public static IPEndPoint TcpEndPointOf(WebApplication app) =>
        app.Services.GetRequiredService<MqttListeners>().TcpEndPoint ?? throw new InvalidOperationException("No TCP listener.");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>();
        Configure(settings);
        _app = await StartBrokerAsync(settings);
        var listeners = _app.Services.GetRequiredService<MqttListeners>();
        TcpEndPoint = TcpEndPointOf(_app);
        var webSocket = listeners.WebSocketEndPoint ?? throw new InvalidOperationException("No WebSocket listener.");
        WebSocketUri = new Uri($"ws://127.0.0.1:{webSocket.Port}/mqtt");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Settings of this fixture's broker on top of <see cref="BaseSettings"/>.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }
}
