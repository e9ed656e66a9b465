using System.Net;
using GrainMQ.Gateway;
using GrainMQ.Observability.Http;
using GrainMQ.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Observability.Tests.Infrastructure;

/// <summary>
/// A whole broker in the test process (the host the Silo runs) on 127.0.0.1 with free MQTT and HTTP ports, and an
/// HTTP client pointed at its HTTP listener.
/// </summary>
public sealed class ObservedBroker : IAsyncDisposable
{
    private ObservedBroker(WebApplication app)
    {
        App = app;
        TcpEndPoint = app.Services.GetRequiredService<MqttListeners>().TcpEndPoint!;
        HttpEndPoint = app.Services.GetRequiredService<HttpEndpoint>().EndPoint!;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpEndPoint.Port}/"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public IPEndPoint TcpEndPoint { get; }

    public IPEndPoint HttpEndPoint { get; }

    public Uri BaseUri => Http.BaseAddress!;

    public HttpClient Http { get; }

    public static async Task<ObservedBroker> StartAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Tcp:Port"] = "0",
            ["Mqtt:WebSocket:Port"] = "0",
            ["Http:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sys:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = GrainMqHost.Build([], configuration => configuration.AddInMemoryCollection(all));
        await app.StartAsync();
        return new ObservedBroker(app);
    }

    /// <summary>Scrapes <c>/metrics</c> and parses it (the parse fails the test on any format error).</summary>
    public async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await Http.GetAsync("metrics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
