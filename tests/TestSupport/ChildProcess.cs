using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace GrainMQ.TestSupport;

/// <summary>
/// A program started without a shell. Its standard output arrives line by line, in order, through
/// <see cref="ReadLineAsync"/>; standard output and standard error both go into a bounded
/// <see cref="Transcript"/> that failure messages quote. Disposing kills the process (and its children) if it
/// is still running and waits for it to exit, so a failing test leaves nothing behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>How many of the most recent output lines <see cref="Transcript"/> keeps.</summary>
    public const int TranscriptLines = 400;

    private static readonly TimeSpan ExitAfterKillTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StandardErrorDrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly string _commandLine;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Queue<string> _transcript = new();
    private readonly Lock _transcriptLock = new();
    private readonly Task _pumps;

    private ChildProcess(Process process, string commandLine)
    {
        _process = process;
        _commandLine = commandLine;
        _pumps = Task.WhenAll(PumpStandardOutputAsync(), PumpStandardErrorAsync());
    }

    /// <summary>The standard input stream; only usable when started with <c>redirectStandardInput</c>.</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>The command line followed by the most recent output lines (stderr lines are marked).</summary>
    public string Transcript
    {
        get
        {
            lock (_transcriptLock)
            {
                return "$ " + _commandLine + "\n" + string.Join('\n', _transcript);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> passed as they are (no shell), with this
    /// process's environment plus <paramref name="environment"/>.
    /// </summary>
    public static ChildProcess Start(
        string fileName,
        IReadOnlyList<string> arguments,
        string? workingDirectory = null,
        bool redirectStandardInput = false,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStandardInput,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var commandLine = string.Concat(environment?.Select(e => $"{e.Key}={Quote(e.Value)} ") ?? []) + fileName + " " + string.Join(' ', arguments.Select(Quote));
        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start: {commandLine}");
        return new ChildProcess(process, commandLine);
    }

    /// <summary>
    /// The next line of standard output. Throws <see cref="TimeoutException"/> when none arrives within
    /// <paramref name="timeout"/>, and <see cref="InvalidOperationException"/> when the output ended (the process
    /// exited); both messages carry the transcript and <paramref name="diagnostics"/>.
    /// </summary>
    public Task<string> ReadLineAsync(TimeSpan timeout, Func<string>? diagnostics = null) =>
        WaitForLineAsync(static _ => true, timeout, diagnostics);

    /// <summary>Reads lines until one satisfies <paramref name="predicate"/>, within <paramref name="timeout"/> in all.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _stdout.Reader.ReadAsync(cancellation.Token);
                if (predicate(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(Describe($"no expected output line within {timeout.TotalSeconds:0.#} s", diagnostics));
        }
        catch (ChannelClosedException)
        {
            await DrainStandardErrorAsync();
            var exit = _process.HasExited ? $" with code {_process.ExitCode}" : "";
            throw new InvalidOperationException(Describe($"the output ended: the process exited{exit}", diagnostics));
        }
    }

    /// <summary>Waits for the process to exit and its output to be read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, Func<string>? diagnostics = null)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            await _pumps.WaitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(Describe($"did not exit within {timeout.TotalSeconds:0.#} s", diagnostics));
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGKILL: the process gets no chance to say goodbye (no DISCONNECT, no clean close).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>A failure message: what went wrong, the transcript, and the caller's extra context.</summary>
    public string Describe(string problem, Func<string>? diagnostics = null)
    {
        var text = $"{problem}\n--- pid {_process.Id} ---\n{Transcript}";
        return diagnostics is null ? text : text + "\n" + diagnostics();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cancellation = new CancellationTokenSource(ExitAfterKillTimeout);
            await _process.WaitForExitAsync(cancellation.Token);
            await _pumps.WaitAsync(cancellation.Token);
        }
        catch (InvalidOperationException)
        {
            // The process exited between the check and the kill: nothing left to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    // Standard output has ended; give standard error a moment to be read too, so that the transcript shows why.
    private async Task DrainStandardErrorAsync()
    {
        try
        {
            await _pumps.WaitAsync(StandardErrorDrainTimeout);
        }
        catch (TimeoutException)
        {
            // A child that inherited the pipe keeps it open; the transcript is then what arrived so far.
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Contains(' ', StringComparison.Ordinal) && !argument.Contains('\t', StringComparison.Ordinal)
            ? argument
            : "'" + argument.Replace("\t", "\\t", StringComparison.Ordinal) + "'";

    private async Task PumpStandardOutputAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                Record(line);
                _stdout.Writer.TryWrite(line);
            }
        }
        finally
        {
            _stdout.Writer.TryComplete();
        }
    }

    private async Task PumpStandardErrorAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            Record("stderr: " + line);
        }
    }

    private void Record(string line)
    {
        lock (_transcriptLock)
        {
            _transcript.Enqueue(line);
            if (_transcript.Count > TranscriptLines)
            {
                _transcript.Dequeue();
            }
        }
    }
}
