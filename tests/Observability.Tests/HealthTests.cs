using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GrainMQ.Observability.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GrainMQ.Observability.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Live_and_ready_answer_200_once_every_listener_is_bound()
    {
        await using var broker = await ObservedBroker.StartAsync();

        using var live = await broker.Http.GetAsync("healthz/live");
        using var ready = await broker.Http.GetAsync("healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"Healthy\"", body, StringComparison.Ordinal);
        Assert.Contains($"mqtt tcp 127.0.0.1:{broker.TcpEndPoint.Port}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_flips_to_503_when_the_listeners_start_going_down_while_live_stays_200()
    {
        await using var broker = await ObservedBroker.StartAsync();
        using (var before = await broker.Http.GetAsync("healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // The first step of a shutdown (SIGTERM): from here the gateway closes its connections and Kestrel unbinds.
        broker.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        using var ready = await broker.Http.GetAsync("healthz/ready");
        using var live = await broker.Http.GetAsync("healthz/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("stopping", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task With_basic_auth_the_dashboard_and_metrics_need_credentials_but_health_does_not()
    {
        await using var broker = await ObservedBroker.StartAsync(("Http:BasicAuth:User", "operator"), ("Http:BasicAuth:Password", "s3cret"));

        using var anonymousMetrics = await broker.Http.GetAsync("metrics");
        using var anonymousPage = await broker.Http.GetAsync("");
        using var anonymousReady = await broker.Http.GetAsync("healthz/ready");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousMetrics.StatusCode);
        Assert.Equal("Basic", anonymousMetrics.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymousReady.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:guess")));
        using var wrongResponse = await broker.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "metrics");
        right.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:s3cret")));
        using var rightResponse = await broker.Http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
    }

    [Fact]
    public async Task The_http_endpoints_answer_only_on_the_http_port()
    {
        await using var broker = await ObservedBroker.StartAsync();
        var webSocketPort = broker.Services.GetRequiredService<GrainMQ.Gateway.MqttListeners>().WebSocketEndPoint!.Port;
        using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webSocketPort}/") };

        using var metrics = await other.GetAsync("metrics");
        using var post = await broker.Http.PostAsync("metrics", new StringContent(""));

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }
}
