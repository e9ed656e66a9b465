using System.Globalization;
using System.Reflection;
using System.Runtime.Versioning;
using GrainMQ.TestSupport;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// A built Silo or Gateway running as a separate process on 127.0.0.1 with ports the OS picks, in one cluster
/// deployment. Started, it has logged its MQTT listener; its log is read continuously so that tests can wait for a
/// line (grain activations are logged at Debug, which is how a test learns which silo owns a grain).
/// </summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    public const string TcpListeningMarker = "Listening for MQTT over TCP on ";

    private readonly ChildProcess _process;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Predicate, TaskCompletionSource<string> Found)> _waiters = [];
    private Task _pump = Task.CompletedTask;

    private ClusterProcess(ChildProcess process, string kind)
    {
        _process = process;
        Kind = kind;
    }

    public string Kind { get; }

    public int MqttPort { get; private set; }

    /// <summary>Starts the Silo (<paramref name="silo"/>) or the Gateway with the cluster settings and waits for its MQTT listener.</summary>
    public static async Task<ClusterProcess> StartAsync(bool silo, string deploymentId, string name, TimeSpan timeout, params string[] extra)
    {
        var dll = Locate(silo ? "Silo" : "Gateway", silo ? "GrainMQ.Silo.dll" : "GrainMQ.Gateway.dll");
        string[] arguments =
        [
            dll,
            "--Mqtt:Host", "127.0.0.1", "--Mqtt:Tcp:Port", "0", "--Mqtt:WebSocket:Enabled", "false", "--Http:Port", "0",
            "--Cluster:ConnectionString", TestDatabase.ConnectionString, "--Cluster:DeploymentId", deploymentId,
            "--Cluster:SiloPort", "0", "--Runtime:SiloName", name,
            "--Logging:LogLevel:GrainMQ.Runtime.GrainRuntime", "Debug",
            .. extra,
        ];
        var process = new ClusterProcess(ChildProcess.Start("dotnet", arguments, Path.GetDirectoryName(dll)), name);
        try
        {
            var line = await process._process.WaitForLineAsync(process.RecordAndMatchListener, timeout);
            var endpoint = line[(line.IndexOf(TcpListeningMarker, StringComparison.Ordinal) + TcpListeningMarker.Length)..].Trim();
            process.MqttPort = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
            process._pump = process.PumpAsync();
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private bool RecordAndMatchListener(string line)
    {
        lock (_lock)
        {
            _lines.Add(line);
        }

        return line.Contains(TcpListeningMarker, StringComparison.Ordinal);
    }

    /// <summary>True when a line satisfying <paramref name="predicate"/> was logged.</summary>
    public bool HasLogged(Func<string, bool> predicate)
    {
        lock (_lock)
        {
            return _lines.Exists(l => predicate(l));
        }
    }

    /// <summary>Waits for a line (already logged or still to come) that satisfies <paramref name="predicate"/>.</summary>
    public async Task<string> WaitForLogAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var existing = _lines.Find(l => predicate(l));
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((predicate, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Describe("no matching log line"));
        }
    }

    /// <summary>SIGKILL: no goodbye, no state written, no table update.</summary>
    public void Kill() => _process.Kill();

    public string Describe(string problem) => _process.Describe($"{Kind}: {problem}");

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await _pump;
    }

    private static string Locate(string project, string fileName)
    {
        var assembly = typeof(ClusterProcess).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var version = new FrameworkName(assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName).Version;
        var relative = Path.Combine(project, "bin", configuration, $"net{version.Major}.{version.Minor}", fileName);
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No {relative} above {AppContext.BaseDirectory}; build the solution first.", fileName);
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var line = await _process.ReadLineAsync(Timeout.InfiniteTimeSpan);
                lock (_lock)
                {
                    _lines.Add(line);
                    for (var i = _waiters.Count - 1; i >= 0; i--)
                    {
                        if (_waiters[i].Predicate(line))
                        {
                            _waiters[i].Found.TrySetResult(line);
                            _waiters.RemoveAt(i);
                        }
                    }
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The process exited.
        }
    }
}
