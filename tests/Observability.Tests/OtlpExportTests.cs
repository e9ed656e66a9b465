using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Observability.Tests.Infrastructure;
using GrainMQ.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static GrainMQ.Observability.Tests.Infrastructure.TestIds;

namespace GrainMQ.Observability.Tests;

public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_configured_metrics_are_pushed_to_it_as_protobuf()
    {
        var received = new TaskCompletionSource<(string? ContentType, long Length)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.TrySetResult((request.ContentType, body.Length));
            return Results.Ok();
        });
        await collector.StartAsync();
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        await using var broker = await ObservedBroker.StartAsync(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", address),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "200"));
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("otlp"), MqttProtocolVersion.V500);

        var (contentType, length) = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(length > 100, $"an export of {length} bytes is too small to hold GrainMQ's metrics");
        await collector.StopAsync();
    }
}
