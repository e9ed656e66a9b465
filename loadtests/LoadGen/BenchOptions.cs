using GrainMQ.Protocol;

namespace GrainMQ.LoadGen;

/// <summary>
/// Everything one run is told on the command line. Defaults follow emqtt_bench where it has the option.
/// Interval, rate and limit options describe the whole run; a worker process takes its share (see <see cref="Timing.WorkerSlice"/>).
/// </summary>
public sealed record BenchOptions
{
    public BenchMode Mode { get; init; }

    /// <summary><c>-h</c>: the broker's host name or address.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary><c>-p</c>: the broker's port (its WebSocket port with <see cref="WebSocket"/>).</summary>
    public int Port { get; init; } = 1883;

    /// <summary><c>-c</c>: clients of the whole run.</summary>
    public int Clients { get; init; } = 200;

    /// <summary><c>-i</c>: milliseconds between two connects of the run.</summary>
    public double ConnectIntervalMs { get; init; } = 10;

    /// <summary><c>-R</c>: connects per second of the run; when above 0 it replaces <see cref="ConnectIntervalMs"/>.</summary>
    public double ConnectRate { get; init; }

    /// <summary><c>-t</c>: topic (pub) or topic filter (sub), with <c>%i</c> and <c>%c</c> placeholders.</summary>
    public string? Topic { get; init; }

    /// <summary><c>-q</c>: QoS of publishes and subscriptions.</summary>
    public MqttQoS QoS { get; init; } = MqttQoS.AtMostOnce;

    /// <summary><c>-s</c>: payload bytes, the 16-byte timestamp header included.</summary>
    public int PayloadSize { get; init; } = 256;

    /// <summary><c>-I</c>: milliseconds between two publishes of one client.</summary>
    public double PublishIntervalMs { get; init; } = 1000;

    /// <summary><c>-L</c>: publishes (pub) or receipts (sub) after which the run ends; 0 for no limit.</summary>
    public long MessageLimit { get; init; }

    /// <summary><c>-k</c>: keep-alive seconds sent in CONNECT; the tool pings after three quarters of it without sending.</summary>
    public ushort KeepAliveSeconds { get; init; } = 300;

    /// <summary><c>-V</c>: MQTT version, 3 (3.1.1) or 5.</summary>
    public MqttProtocolVersion Version { get; init; } = MqttProtocolVersion.V500;

    /// <summary><c>--clean</c>: clean start (clean session in MQTT 3).</summary>
    public bool CleanStart { get; init; } = true;

    /// <summary><c>--session-expiry</c>: MQTT 5 session expiry interval in seconds; 0 sends none.</summary>
    public uint SessionExpirySeconds { get; init; }

    /// <summary><c>--ws</c>: connect over WebSocket to ws://host:port + <see cref="WebSocketPath"/>.</summary>
    public bool WebSocket { get; init; }

    /// <summary><c>--ws-path</c>: the broker's WebSocket path.</summary>
    public string WebSocketPath { get; init; } = "/mqtt";

    /// <summary><c>--ifaddr</c>: local source addresses or IPv4 ranges; empty for the default (see <see cref="Client.SourceAddresses"/>).</summary>
    public IReadOnlyList<string> SourceAddresses { get; init; } = [];

    /// <summary><c>--inflight</c>: most unacknowledged QoS 1/2 publishes per client (capped by the broker's receive maximum).</summary>
    public int Inflight { get; init; } = 16;

    /// <summary><c>--duration</c>: seconds from the start after which the run ends; 0 runs until done or interrupted.</summary>
    public double DurationSeconds { get; init; }

    /// <summary><c>-u</c>: user name sent in CONNECT.</summary>
    public string? UserName { get; init; }

    /// <summary><c>-P</c>: password sent in CONNECT.</summary>
    public string? Password { get; init; }

    /// <summary><c>--prefix</c>: client ids are prefix_mode_sequence.</summary>
    public string ClientIdPrefix { get; init; } = "grainmq_bench";

    /// <summary><c>-n</c>: sequence number of the first client.</summary>
    public long StartNumber { get; init; } = 1;

    /// <summary><c>-r</c>: publish with the retain flag.</summary>
    public bool Retain { get; init; }

    /// <summary><c>--json</c>: progress lines go to standard error and the summary to standard output as one JSON object.</summary>
    public bool Json { get; init; }

    /// <summary><c>--connect-timeout</c>: seconds from the start of a connect to its CONNACK before it counts as failed.</summary>
    public double ConnectTimeoutSeconds { get; init; } = 10;

    /// <summary><c>--drain-timeout</c>: seconds the end of a pub run waits for outstanding QoS 1/2 acknowledgements.</summary>
    public double DrainTimeoutSeconds { get; init; } = 5;

    /// <summary><c>--workers</c>: child processes that share the run; 1 runs in this process.</summary>
    public int Workers { get; init; } = 1;

    /// <summary><c>--worker-index</c> (set by the parent): which share this process runs; null outside a worker.</summary>
    public int? WorkerIndex { get; init; }

    /// <summary><c>--worker-count</c> (set by the parent): how many workers share the run.</summary>
    public int WorkerCount { get; init; } = 1;

    /// <summary>Processes this run is spread over.</summary>
    public int ProcessCount => WorkerIndex is null ? Workers : WorkerCount;

    /// <summary>What is wrong with these options, one sentence each; empty when they can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Check(problems, Clients >= 1, "-c must be at least 1");
        Check(problems, Port is > 0 and <= ushort.MaxValue, "-p must be a TCP port (1-65535)");
        Check(problems, ConnectIntervalMs >= 0 && ConnectRate >= 0, "-i and -R must not be negative");
        Check(problems, PayloadSize is >= Client.PayloadHeader.Size and <= 268_435_000, $"-s must be at least {Client.PayloadHeader.Size} (the timestamp header) and under 256 MiB");
        Check(problems, PublishIntervalMs > 0, "-I must be above 0");
        Check(problems, MessageLimit >= 0, "-L must not be negative");
        Check(problems, Inflight is >= 1 and <= BenchLimits.MaxInflight, $"--inflight must be 1 to {BenchLimits.MaxInflight}");
        Check(problems, DurationSeconds >= 0, "--duration must not be negative");
        Check(problems, ConnectTimeoutSeconds > 0, "--connect-timeout must be above 0");
        Check(problems, DrainTimeoutSeconds >= 0, "--drain-timeout must not be negative");
        Check(problems, Workers >= 1 && WorkerCount >= 1, "--workers must be at least 1");
        Check(problems, WorkerIndex is null || (WorkerIndex >= 0 && WorkerIndex < WorkerCount), "--worker-index must be below --worker-count");
        Check(problems, Mode == BenchMode.Conn || !string.IsNullOrEmpty(Topic), "-t is required for sub and pub");
        Check(problems, SessionExpirySeconds == 0 || Version == MqttProtocolVersion.V500, "--session-expiry needs MQTT 5 (-V 5)");
        var perProcess = ((long)Clients + ProcessCount - 1) / Math.Max(1, ProcessCount);
        var needed = ((long)Clients + BenchLimits.MaxClientsPerProcess - 1) / BenchLimits.MaxClientsPerProcess;
        Check(
            problems,
            perProcess <= BenchLimits.MaxClientsPerProcess,
            $"{perProcess} clients per process exceed the {BenchLimits.MaxClientsPerProcess} one process may hold: use --workers {needed} or more");
        try
        {
            Client.SourceAddresses.Parse(SourceAddresses);
        }
        catch (FormatException exception)
        {
            problems.Add($"--ifaddr: {exception.Message}");
        }

        return problems;
    }

    private static void Check(List<string> problems, bool ok, string problem)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }

    /// <summary>The client id of the client with sequence number <paramref name="sequence"/>.</summary>
    public string ClientIdFor(long sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ClientIdPrefix}_{Mode.ToString().ToLowerInvariant()}_{sequence}");
}
