using System.Diagnostics;
using GrainMQ.LoadGen.Reporting;

namespace GrainMQ.LoadGen.Workers;

/// <summary>
/// Runs one command as N child processes of this same program (<c>--workers N</c>): each child gets the parent's
/// arguments plus <c>--worker-index k --worker-count N</c>, runs its share of the clients, and reports on its
/// standard output; the parent adds the reports up and prints them as if one process had done the whole run.
/// Closing a child's standard input asks it to stop (the parent does so when interrupted), so children never
/// outlive their parent for long.
/// </summary>
public static class WorkerHost
{
    /// <summary>Time a child gets, after its own drain and disconnect, to exit once asked to stop.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    /// <param name="options">The run (its <see cref="BenchOptions.Workers"/> is the child count).</param>
    /// <param name="arguments">The command line this process was given, passed on to every child.</param>
    /// <param name="progress">Receives the summed totals every second.</param>
    /// <param name="errors">Where children's non-report output goes, prefixed with their index.</param>
    /// <param name="cancellationToken">An interrupt: the children are asked to stop and still report.</param>
    public static async Task<RunSummary> RunAsync(BenchOptions options, IReadOnlyList<string> arguments, IProgressSink progress, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(errors);
        var started = Stopwatch.GetTimestamp();
        var merge = new WorkerMerge(options.Workers);
        var children = new List<Process>(options.Workers);
        var readers = new List<Task>(options.Workers);
        try
        {
            for (var index = 0; index < options.Workers; index++)
            {
                var child = Process.Start(StartInfo(arguments, index, options.Workers))
                    ?? throw new InvalidOperationException($"worker {index} did not start");
                children.Add(child);
                readers.Add(ReadReportsAsync(child, index, merge, errors));
            }

            using var ticking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var ticker = TickAsync(merge, progress, started, ticking.Token);
            var allRead = Task.WhenAll(readers);
            await Task.WhenAny(allRead, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
            if (!allRead.IsCompleted)
            {
                foreach (var child in children)
                {
                    child.StandardInput.Close();
                }

                var grace = TimeSpan.FromSeconds(options.DrainTimeoutSeconds) + BenchLimits.DisconnectTimeout + ExitGrace;
                await Task.WhenAny(allRead, Task.Delay(grace, CancellationToken.None)).ConfigureAwait(false);
            }

            await ticking.CancelAsync().ConfigureAwait(false);
            await ticker.ConfigureAwait(false);
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }

                child.Dispose();
            }
        }

        return Finish(merge, progress, started);
    }

    private static RunSummary Finish(WorkerMerge merge, IProgressSink progress, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        progress.Tick((long)Math.Round(elapsed.TotalSeconds), merge.Totals());
        var result = merge.Result() ?? throw new InvalidOperationException("no worker sent a summary");
        var missing = merge.Missing();
        if (missing.Count == 0)
        {
            return result;
        }

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in result.Errors)
        {
            errors[reason] = count;
        }

        errors["worker_without_summary"] = missing.Count;
        return result with { Errors = errors, Counters = result.Counters with { Fail = result.Counters.Fail + missing.Count } };
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments, int index, int count)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program to start for workers");
        var info = new ProcessStartInfo(processPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };

        // Started as `dotnet GrainMQ.LoadGen.dll ...`: the children run the same dll; started through the apphost, the apphost.
        if (string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(WorkerHost).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--worker-index");
        info.ArgumentList.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--worker-count");
        info.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return info;
    }

    private static async Task ReadReportsAsync(Process child, int index, WorkerMerge merge, TextWriter errors)
    {
        while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!merge.Accept(index, line))
            {
                await errors.WriteLineAsync($"[worker {index}] {line}").ConfigureAwait(false);
            }
        }

        await child.WaitForExitAsync().ConfigureAwait(false);
    }

    private static async Task TickAsync(WorkerMerge merge, IProgressSink progress, long started, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TickPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                progress.Tick((long)Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds), merge.Totals());
            }
        }
        catch (OperationCanceledException)
        {
            // The children have finished.
        }
    }
}
