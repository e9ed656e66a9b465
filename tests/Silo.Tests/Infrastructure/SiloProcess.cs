using System.Globalization;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// The built Silo running as a separate process (<c>dotnet GrainMQ.Silo.dll</c>) on 127.0.0.1 and ports the
/// operating system picks. Started, it has logged its MQTT-over-TCP listener; disposed, it has been killed and has exited.
/// Its log is read continuously so that tests can wait for a log line (<see cref="WaitForLogLineAsync"/>).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>The text before the endpoint in the Silo's log line for its TCP listener.</summary>
    public const string TcpListeningMarker = "Listening for MQTT over TCP on ";

    private readonly ChildProcess _process;
    private readonly List<LogWaiter> _waiters = [];
    private readonly Lock _waitersLock = new();
    private Task _logPump = Task.CompletedTask;
    private bool _logEnded;

    private SiloProcess(ChildProcess process) => _process = process;

    /// <summary>The port of the MQTT-over-TCP listener on 127.0.0.1.</summary>
    public int TcpPort { get; private set; }

    /// <summary>
    /// Starts the Silo with ephemeral MQTT ports plus <paramref name="arguments"/> (configuration as
    /// <c>--Section:Key value</c> pairs) and <paramref name="environment"/> (variables added to this process's), and
    /// waits up to <paramref name="startupTimeout"/> for its TCP listener.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(
        IReadOnlyList<string> arguments, TimeSpan startupTimeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = SiloBinary.Locate();
        string[] commandLine = [dll, "--Mqtt:Host", "127.0.0.1", "--Mqtt:Tcp:Port", "0", "--Mqtt:WebSocket:Port", "0", "--Http:Port", "0", .. arguments];
        var silo = new SiloProcess(ChildProcess.Start("dotnet", commandLine, Path.GetDirectoryName(dll), environment: environment));
        try
        {
            var line = await silo._process.WaitForLineAsync(
                l => l.Contains(TcpListeningMarker, StringComparison.Ordinal), startupTimeout);
            silo.TcpPort = ParsePort(line[(line.IndexOf(TcpListeningMarker, StringComparison.Ordinal) + TcpListeningMarker.Length)..]);
            silo._logPump = silo.PumpLogAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits for the first log line, written after this call, that satisfies <paramref name="predicate"/>. Call it
    /// before the action that should cause the line, and await the task after.
    /// </summary>
    public async Task<string> WaitForLogLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var waiter = new LogWaiter(predicate);
        lock (_waitersLock)
        {
            if (_logEnded)
            {
                throw new InvalidOperationException(Describe("the Silo's log ended (it exited)"));
            }

            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Describe($"no matching Silo log line within {timeout.TotalSeconds:0.#} s"));
        }
        finally
        {
            lock (_waitersLock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The Silo's recent log, for failure messages of tests that talk to it.</summary>
    public string DescribeLog() => "--- Silo log ---\n" + _process.Transcript;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await _logPump;
    }

    private static int ParsePort(string endpoint)
    {
        var text = endpoint.Trim().TrimEnd('/');
        var digits = text[(text.LastIndexOf(':') + 1)..];
        return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private string Describe(string problem) => _process.Describe(problem);

    private async Task PumpLogAsync()
    {
        try
        {
            while (true)
            {
                var line = await _process.ReadLineAsync(Timeout.InfiniteTimeSpan);
                lock (_waitersLock)
                {
                    foreach (var waiter in _waiters)
                    {
                        if (waiter.Predicate(line))
                        {
                            waiter.Found.TrySetResult(line);
                        }
                    }
                }
            }
        }
        catch (InvalidOperationException ended)
        {
            lock (_waitersLock)
            {
                _logEnded = true;
                foreach (var waiter in _waiters)
                {
                    waiter.Found.TrySetException(ended);
                }
            }
        }
    }

    private sealed record LogWaiter(Func<string, bool> Predicate)
    {
        public TaskCompletionSource<string> Found { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
