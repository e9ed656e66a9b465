using System.CommandLine;
using System.CommandLine.Help;
using GrainMQ.Protocol;

namespace GrainMQ.LoadGen.Cli;

/// <summary>
/// The command line, in emqtt_bench's shape: subcommands <c>conn</c>, <c>sub</c>, <c>pub</c> with its short
/// options. <c>-h</c> is the host, as in emqtt_bench, so help is <c>--help</c> or <c>-?</c>.
/// </summary>
internal sealed class BenchCommandLine
{
    private readonly Option<string> _host = new("--host", "-h") { Description = "Broker host name or address", DefaultValueFactory = _ => "localhost" };
    private readonly Option<int> _port = new("--port", "-p") { Description = "Broker port (its WebSocket port with --ws)", DefaultValueFactory = _ => 1883 };
    private readonly Option<int> _clients = new("--count", "-c") { Description = "Clients of the whole run", DefaultValueFactory = _ => 200 };
    private readonly Option<double> _interval = new("--interval", "-i") { Description = "Milliseconds between two connects", DefaultValueFactory = _ => 10 };
    private readonly Option<double> _rate = new("--connrate", "-R") { Description = "Connects per second (replaces -i when above 0)" };
    private readonly Option<string> _topic = new("--topic", "-t") { Description = "Topic (pub) or filter (sub); %i = client sequence number, %c = client id", Required = true };
    private readonly Option<int> _qos = new("--qos", "-q") { Description = "QoS of publishes and subscriptions: 0, 1 or 2" };
    private readonly Option<int> _size = new("--size", "-s") { Description = "Payload bytes, the 16-byte timestamp header included", DefaultValueFactory = _ => 256 };
    private readonly Option<double> _publishInterval = new("--interval_of_msg", "-I") { Description = "Milliseconds between two publishes of one client", DefaultValueFactory = _ => 1000 };
    private readonly Option<long> _limit = new("--limit", "-L") { Description = "Messages of the whole run after which it ends (pub: sent, sub: received); 0 for none" };
    private readonly Option<int> _keepAlive = new("--keepalive", "-k") { Description = "Keep-alive seconds", DefaultValueFactory = _ => 300 };
    private readonly Option<int> _version = new("--version", "-V") { Description = "MQTT version: 3 or 4 (3.1.1), 5", DefaultValueFactory = _ => 5 };
    private readonly Option<bool> _clean = new("--clean") { Description = "Clean start / clean session", DefaultValueFactory = _ => true };
    private readonly Option<uint> _sessionExpiry = new("--session-expiry") { Description = "MQTT 5 session expiry interval, seconds (0 sends none)" };
    private readonly Option<bool> _webSocket = new("--ws") { Description = "Connect over WebSocket (ws://host:port/mqtt)" };
    private readonly Option<string> _webSocketPath = new("--ws-path") { Description = "WebSocket path", DefaultValueFactory = _ => "/mqtt" };
    private readonly Option<string[]> _sources = new("--ifaddr") { Description = "Local source addresses or IPv4 ranges (a-b), comma-separated; default for a loopback broker: 127.0.0.2-127.0.0.254", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int> _inflight = new("--inflight") { Description = "Most unacknowledged QoS 1/2 publishes per client", DefaultValueFactory = _ => 16 };
    private readonly Option<double> _duration = new("--duration") { Description = "Seconds after which the run ends (0: until done or Ctrl-C)" };
    private readonly Option<string> _userName = new("--username", "-u") { Description = "User name" };
    private readonly Option<string> _password = new("--password", "-P") { Description = "Password" };
    private readonly Option<string> _prefix = new("--prefix") { Description = "Client id prefix: ids are prefix_mode_sequence", DefaultValueFactory = _ => "grainmq_bench" };
    private readonly Option<long> _startNumber = new("--startnumber", "-n") { Description = "Sequence number of the first client", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _retain = new("--retain", "-r") { Description = "Publish with the retain flag" };
    private readonly Option<bool> _json = new("--json") { Description = "Progress to stderr, summary to stdout as JSON" };
    private readonly Option<double> _connectTimeout = new("--connect-timeout") { Description = "Seconds from connect to CONNACK before a client counts as failed", DefaultValueFactory = _ => 10 };
    private readonly Option<double> _drainTimeout = new("--drain-timeout") { Description = "Seconds a pub run waits at the end for QoS 1/2 acks", DefaultValueFactory = _ => 5 };
    private readonly Option<int> _workers = new("--workers") { Description = "Child processes sharing the run (each under the 20,000-descriptor limit)", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> _workerIndex = new("--worker-index") { Hidden = true };
    private readonly Option<int> _workerCount = new("--worker-count") { Hidden = true, DefaultValueFactory = _ => 1 };

    /// <summary>Builds the command tree; <paramref name="run"/> is invoked with the options of the chosen subcommand.</summary>
    public static RootCommand Create(Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var line = new BenchCommandLine();
        var root = new RootCommand("GrainMQ load generator: MQTT connections, subscribers and publishers in the manner of emqtt_bench.");
        for (var index = root.Options.Count - 1; index >= 0; index--)
        {
            if (root.Options[index] is HelpOption)
            {
                root.Options.RemoveAt(index);
            }
        }

        root.Options.Add(new HelpOption("--help", "-?"));
        root.Subcommands.Add(line.Mode(BenchMode.Conn, "Open connections and hold them (pinging at the keep-alive) until --duration or Ctrl-C", run));
        root.Subcommands.Add(line.Mode(BenchMode.Sub, "Subscribe each client to its topic and time every message received", run));
        root.Subcommands.Add(line.Mode(BenchMode.Pub, "Publish timestamped messages from each client at a fixed interval", run));
        return root;
    }

    private Command Mode(BenchMode mode, string description, Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var command = new Command(mode.ToString().ToLowerInvariant(), description);
        Option[] common =
        [
            _host, _port, _clients, _interval, _rate, _keepAlive, _version, _clean, _sessionExpiry, _webSocket, _webSocketPath,
            _sources, _duration, _userName, _password, _prefix, _startNumber, _json, _connectTimeout, _workers, _workerIndex, _workerCount,
        ];
        foreach (var option in common)
        {
            command.Options.Add(option);
        }

        if (mode != BenchMode.Conn)
        {
            command.Options.Add(_topic);
            command.Options.Add(_qos);
            command.Options.Add(_limit);
        }

        if (mode == BenchMode.Pub)
        {
            command.Options.Add(_size);
            command.Options.Add(_publishInterval);
            command.Options.Add(_inflight);
            command.Options.Add(_retain);
            command.Options.Add(_drainTimeout);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var problems = Problems(parsed, mode);
            if (problems.Count == 0)
            {
                return await run(Bind(parsed, mode), cancellationToken).ConfigureAwait(false);
            }

            foreach (var problem in problems)
            {
                await parsed.InvocationConfiguration.Error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            return 2;
        });
        return command;
    }

    private List<string> Problems(ParseResult parsed, BenchMode mode)
    {
        var problems = new List<string>();
        if (mode != BenchMode.Conn && parsed.GetValue(_qos) is < 0 or > 2)
        {
            problems.Add("-q must be 0, 1 or 2");
        }

        if (parsed.GetValue(_version) is not (3 or 4 or 5))
        {
            problems.Add("-V must be 3 or 4 (both MQTT 3.1.1) or 5");
        }

        problems.AddRange(Bind(parsed, mode).Problems());
        return problems;
    }

    private BenchOptions Bind(ParseResult values, BenchMode mode) => new()
    {
        Mode = mode,
        Host = values.GetValue(_host) ?? "localhost",
        Port = values.GetValue(_port),
        Clients = values.GetValue(_clients),
        ConnectIntervalMs = values.GetValue(_interval),
        ConnectRate = values.GetValue(_rate),
        Topic = mode == BenchMode.Conn ? null : values.GetValue(_topic),
        QoS = (MqttQoS)Math.Clamp(mode == BenchMode.Conn ? 0 : values.GetValue(_qos), 0, 2),
        PayloadSize = mode == BenchMode.Pub ? values.GetValue(_size) : 256,
        PublishIntervalMs = mode == BenchMode.Pub ? values.GetValue(_publishInterval) : 1000,
        MessageLimit = mode == BenchMode.Conn ? 0 : values.GetValue(_limit),
        KeepAliveSeconds = (ushort)Math.Clamp(values.GetValue(_keepAlive), 0, ushort.MaxValue),
        Version = values.GetValue(_version) == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
        CleanStart = values.GetValue(_clean),
        SessionExpirySeconds = values.GetValue(_sessionExpiry),
        WebSocket = values.GetValue(_webSocket),
        WebSocketPath = values.GetValue(_webSocketPath) ?? "/mqtt",
        SourceAddresses = values.GetValue(_sources) ?? [],
        Inflight = mode == BenchMode.Pub ? values.GetValue(_inflight) : 16,
        DurationSeconds = values.GetValue(_duration),
        UserName = values.GetValue(_userName),
        Password = values.GetValue(_password),
        ClientIdPrefix = values.GetValue(_prefix) ?? "grainmq_bench",
        StartNumber = values.GetValue(_startNumber),
        Retain = mode == BenchMode.Pub && values.GetValue(_retain),
        Json = values.GetValue(_json),
        ConnectTimeoutSeconds = values.GetValue(_connectTimeout),
        DrainTimeoutSeconds = mode == BenchMode.Pub ? values.GetValue(_drainTimeout) : 5,
        Workers = values.GetValue(_workers),
        WorkerIndex = values.GetValue(_workerIndex),
        WorkerCount = values.GetValue(_workerCount),
    };

}
