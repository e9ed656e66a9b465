using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Run;
using GrainMQ.LoadGen.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.LoadGen.Tests;

/// <summary>The tool against a whole GrainMQ broker in the test process, over real sockets.</summary>
public class EndToEndTests(InProcessBroker broker) : IClassFixture<InProcessBroker>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_pub_run_and_a_sub_run_deliver_every_timestamped_message_and_time_it()
    {
        var topic = $"e2e/{Guid.NewGuid():N}/%i";
        var subscribed = new SignallingProgress(counters => counters.Sub == 10);
        var subscriber = BenchRun.RunAsync(Options(BenchMode.Sub, topic, "sub") with { QoS = MqttQoS.AtLeastOnce, MessageLimit = 200 }, subscribed, CancellationToken.None);
        await subscribed.Reached.WaitAsync(Bound);

        var published = await BenchRun.RunAsync(
            Options(BenchMode.Pub, topic, "pub") with { QoS = MqttQoS.AtLeastOnce, MessageLimit = 200, PublishIntervalMs = 5, PayloadSize = 64 },
            new SignallingProgress(_ => false),
            CancellationToken.None).WaitAsync(Bound);
        var received = await subscriber.WaitAsync(Bound);

        Assert.Equal("limit", published.EndReason);
        Assert.Equal(10, published.Counters.ConnectSucc);
        Assert.Equal(200, published.Counters.Pub);
        Assert.Equal(200, published.Counters.PubAck);
        Assert.Empty(published.Errors);
        Assert.Equal("limit", received.EndReason);
        Assert.Equal(200, received.Counters.Recv);
        Assert.Equal(200, received.Latency.TotalCount);
        Assert.InRange(received.Latency.Max, 1, 30_000_000);
        Assert.Empty(received.Errors);
    }

    [Fact]
    public async Task Mqtt_3_clients_over_websocket_exchange_qos_2_messages()
    {
        var topic = $"e2e-ws/{Guid.NewGuid():N}/%i";
        var webSocket = new BenchOptions { Port = broker.WebSocketEndPoint.Port, WebSocket = true, Version = MqttProtocolVersion.V311, QoS = MqttQoS.ExactlyOnce };
        var subscribed = new SignallingProgress(counters => counters.Sub == 3);
        var subscriber = BenchRun.RunAsync(Options(BenchMode.Sub, topic, "wsub", webSocket) with { MessageLimit = 30 }, subscribed, CancellationToken.None);
        await subscribed.Reached.WaitAsync(Bound);

        var published = await BenchRun.RunAsync(
            Options(BenchMode.Pub, topic, "wpub", webSocket) with { MessageLimit = 30, PublishIntervalMs = 10 },
            new SignallingProgress(_ => false),
            CancellationToken.None).WaitAsync(Bound);
        var received = await subscriber.WaitAsync(Bound);

        Assert.Equal(30, published.Counters.PubAck);
        Assert.Equal(30, received.Counters.Recv);
        Assert.Equal(30, received.Latency.TotalCount);
        Assert.Empty(published.Errors);
        Assert.Empty(received.Errors);
    }

    [Fact]
    public async Task Two_worker_processes_hold_their_shares_and_the_parent_prints_one_merged_json_summary()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "GrainMQ.LoadGen.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            tool, "conn", "-h", "127.0.0.1", "-p", broker.TcpEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "21", "-R", "500", "--duration", "2", "--workers", "2", "--json", "--prefix", $"w{Guid.NewGuid():N}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Bound);
        var output = await stdout;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        using var summary = JsonDocument.Parse(output);
        Assert.Equal(2, summary.RootElement.GetProperty("workers").GetInt32());
        Assert.Equal("duration", summary.RootElement.GetProperty("end_reason").GetString());
        Assert.Equal(21, summary.RootElement.GetProperty("counters").GetProperty("connect_succ").GetInt64());
        Assert.Equal(21, summary.RootElement.GetProperty("connect_latency_us").GetProperty("count").GetInt64());
        Assert.Contains("connect_succ total=", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_counts_every_client_as_refused_and_ends_the_run()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        probe.Dispose();

        var summary = await BenchRun.RunAsync(
            new BenchOptions { Mode = BenchMode.Conn, Host = "127.0.0.1", Port = closedPort, Clients = 5, ConnectIntervalMs = 0, DurationSeconds = 30 },
            new SignallingProgress(_ => false),
            CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("all_clients_closed", summary.EndReason);
        Assert.Equal(5, summary.Counters.ConnectFail);
        Assert.Equal(5, summary.Errors["connect:ConnectionRefused"]);
    }

    private BenchOptions Options(BenchMode mode, string topic, string prefix, BenchOptions? template = null) => (template ?? new BenchOptions { Port = broker.TcpEndPoint.Port }) with
    {
        Mode = mode,
        Host = "127.0.0.1",
        Clients = template is null ? 10 : 3,
        ConnectIntervalMs = 1,
        Topic = topic,
        ClientIdPrefix = $"{prefix}{Guid.NewGuid():N}",
        DurationSeconds = 45,
    };
}
