using System.Globalization;
using System.Text.RegularExpressions;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// The built Silo started inside a cgroup: a shell writes its own id into the cgroup's <c>cgroup.procs</c> and then
/// <c>exec</c>s <c>dotnet GrainMQ.Silo.dll</c>, so the Silo is in the cgroup from its first instruction (as in a
/// container) and .NET's own start-up reads it. Started, it has logged its CPU budget line (<see cref="BudgetLine"/>)
/// and its MQTT-over-TCP listener; disposed, it has been killed and has exited.
/// </summary>
public sealed partial class CgroupSilo : IAsyncDisposable
{
    /// <summary>How long the Silo may take to start: it JITs its whole host on as little as half a CPU.</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    /// <summary>In the CpuBudgetApplied line: what comes before the budget.</summary>
    public const string BudgetMarker = " → budget ";

    /// <summary>In the CpuSizingOff line (Scheduling:CgroupAware=false).</summary>
    public const string SizingOffMarker = " → cgroup sizing off ";

    // Moves the shell into the cgroup named by $1, then becomes the program that follows.
    private const string EnterCgroupThenExec = "echo $$ > \"$1\" && shift && exec \"$@\"";
    private const string GrainWorkerThreadPrefix = "grain-worker-";

    private readonly ChildProcess _process;

    private CgroupSilo(ChildProcess process) => _process = process;

    /// <summary>The Silo's CPU budget log line (CpuBudgetApplied, or CpuSizingOff).</summary>
    public string BudgetLine { get; private set; } = "";

    /// <summary>The Silo's process id (the only process in its cgroup).</summary>
    public int ProcessId { get; private set; }

    /// <summary>The port of the MQTT-over-TCP listener on 127.0.0.1.</summary>
    public int TcpPort { get; private set; }

    /// <summary>
    /// Starts the Silo in <paramref name="cgroup"/> with ephemeral MQTT and HTTP ports plus <paramref name="arguments"/>
    /// (<c>--Section:Key value</c> pairs) and waits for its budget line and its TCP listener.
    /// </summary>
    public static async Task<CgroupSilo> StartAsync(CgroupV1Cpu cgroup, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        var dll = SiloBinary.Locate();
        string[] commandLine =
        [
            "-c", EnterCgroupThenExec, "enter-cgroup", cgroup.ProcessesPath,
            "dotnet", dll, "--Mqtt:Host", "127.0.0.1", "--Mqtt:Tcp:Port", "0", "--Mqtt:WebSocket:Port", "0", "--Http:Port", "0", .. arguments,
        ];
        var silo = new CgroupSilo(ChildProcess.Start("/bin/sh", commandLine, Path.GetDirectoryName(dll)));
        try
        {
            silo.BudgetLine = await silo._process.WaitForLineAsync(
                l => l.Contains(BudgetMarker, StringComparison.Ordinal) || l.Contains(SizingOffMarker, StringComparison.Ordinal),
                StartupTimeout);
            var listening = await silo._process.WaitForLineAsync(
                l => l.Contains(SiloProcess.TcpListeningMarker, StringComparison.Ordinal), StartupTimeout);
            silo.TcpPort = int.Parse(TrailingPort().Match(listening).Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var inside = cgroup.Processes();
            silo.ProcessId = inside.Count == 1
                ? inside[0]
                : throw new InvalidOperationException(silo._process.Describe(
                    $"expected the Silo alone in {cgroup.Directory}, found processes [{string.Join(", ", inside)}]"));
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The number that follows <paramref name="label"/> in <paramref name="line"/> (e.g. <c>".NET ProcessorCount "</c>);
    /// throws naming the line when there is none.
    /// </summary>
    public static double NumberAfter(string line, string label)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = Regex.Match(line, Regex.Escape(label) + @"(\d+(?:\.\d+)?)", RegexOptions.CultureInvariant);
        return match.Success
            ? double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new FormatException($"No number after \"{label}\" in: {line}");
    }

    /// <summary>Reads the Silo's log, line after line, until one satisfies <paramref name="predicate"/> (lines read past are gone).</summary>
    public Task<string> WaitForLogLineAsync(Func<string, bool> predicate, TimeSpan timeout) =>
        _process.WaitForLineAsync(predicate, timeout);

    /// <summary>How many grain scheduler worker threads the Silo runs now (threads named grain-worker-N, from /proc/PID/task/*/comm).</summary>
    public int GrainWorkerThreads()
    {
        var count = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{ProcessId}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(GrainWorkerThreadPrefix, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // The thread exited between the listing and the read: it is not running now.
            }
        }

        return count;
    }

    /// <summary>The Silo's recent log, for failure messages.</summary>
    public string DescribeLog() => "--- Silo log ---\n" + _process.Transcript;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@":(\d+)/?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingPort();
}
