using System.CommandLine;
using GrainMQ.LoadGen.Cli;
using GrainMQ.Protocol;

namespace GrainMQ.LoadGen.Tests;

public class CommandLineTests
{
    [Fact]
    public async Task Short_options_follow_emqtt_bench_with_h_as_the_host()
    {
        var (options, exit, _) = await ParseAsync(
            "pub", "-h", "broker.test", "-p", "1884", "-c", "300", "-R", "50", "-t", "t/%i", "-q", "2", "-s", "100",
            "-I", "20", "-L", "9000", "-k", "30", "-V", "3", "--clean", "false", "--inflight", "4", "--duration", "15",
            "--ifaddr", "127.0.0.5,127.0.0.6", "--ws", "--workers", "2");

        Assert.Equal(0, exit);
        Assert.NotNull(options);
        Assert.Equal(BenchMode.Pub, options.Mode);
        Assert.Equal("broker.test", options.Host);
        Assert.Equal(1884, options.Port);
        Assert.Equal(300, options.Clients);
        Assert.Equal(50, options.ConnectRate);
        Assert.Equal("t/%i", options.Topic);
        Assert.Equal(MqttQoS.ExactlyOnce, options.QoS);
        Assert.Equal(100, options.PayloadSize);
        Assert.Equal(20, options.PublishIntervalMs);
        Assert.Equal(9000, options.MessageLimit);
        Assert.Equal(30, options.KeepAliveSeconds);
        Assert.Equal(MqttProtocolVersion.V311, options.Version);
        Assert.False(options.CleanStart);
        Assert.Equal(4, options.Inflight);
        Assert.Equal(15, options.DurationSeconds);
        Assert.Equal(["127.0.0.5,127.0.0.6"], options.SourceAddresses);
        Assert.True(options.WebSocket);
        Assert.Equal(2, options.Workers);
    }

    [Fact]
    public async Task Defaults_are_those_of_emqtt_bench_where_it_has_the_option()
    {
        var (options, _, _) = await ParseAsync("conn");

        Assert.NotNull(options);
        Assert.Equal("localhost", options.Host);
        Assert.Equal(1883, options.Port);
        Assert.Equal(200, options.Clients);
        Assert.Equal(10, options.ConnectIntervalMs);
        Assert.Equal(MqttProtocolVersion.V500, options.Version);
        Assert.True(options.CleanStart);
        Assert.Null(options.WorkerIndex);
    }

    [Fact]
    public async Task Help_is_question_mark_or_double_dash_help()
    {
        var (options, exit, output) = await ParseAsync("sub", "-?");

        Assert.Null(options);
        Assert.Equal(0, exit);
        Assert.Contains("-h, --host", output, StringComparison.Ordinal);
        Assert.Contains("-?, --help", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-q 3 is refused", "sub", "-t", "x", "-q", "3")]
    [InlineData("-s under the header is refused", "pub", "-t", "x", "-s", "8")]
    [InlineData("-V 4.5 is refused", "conn", "-V", "6")]
    [InlineData("too many clients for one process", "conn", "-c", "40000")]
    public async Task Impossible_runs_are_refused_before_connecting(string why, params string[] args)
    {
        var (options, exit, _) = await ParseAsync(args);

        Assert.True(options is null, why);
        Assert.NotEqual(0, exit);
    }

    [Fact]
    public void A_run_too_big_for_one_process_is_told_how_many_workers_it_needs()
    {
        var problems = new BenchOptions { Mode = BenchMode.Conn, Clients = 100_000 }.Problems();

        Assert.Contains(problems, problem => problem.Contains("--workers 6", StringComparison.Ordinal));
        Assert.Empty(new BenchOptions { Mode = BenchMode.Conn, Clients = 100_000, Workers = 6 }.Problems());
    }

    private static async Task<(BenchOptions? Options, int Exit, string Output)> ParseAsync(params string[] args)
    {
        BenchOptions? captured = null;
        var root = BenchCommandLine.Create((options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        });
        var output = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (captured, exit, output.ToString());
    }
}
