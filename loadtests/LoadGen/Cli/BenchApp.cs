using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Run;
using GrainMQ.LoadGen.Workers;

namespace GrainMQ.LoadGen.Cli;

/// <summary>
/// The program: parses the command line, then runs in this process, as the parent of <c>--workers</c>, or as
/// one of those workers. The first Ctrl-C (or SIGTERM) ends the run gracefully with a summary; a second one
/// ends the process at once.
/// </summary>
public static class BenchApp
{
    /// <summary>
    /// Set (unless already set) before the first socket is made: socket completions then run on the socket event
    /// thread instead of hopping to the thread pool. The tool's continuations are short and never block, and the
    /// hop was most of a subscriber's cost (measured against mosquitto on 2 cores: 19k msg/s took 6.5 CPU-seconds
    /// per 10 s with hops and fell behind, 1.9 without and kept up).
    /// </summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> MainAsync(string[] args)
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        using var interrupt = new CancellationTokenSource();
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Interrupt(context, interrupt));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Interrupt(context, interrupt));
        var root = BenchCommandLine.Create((options, cancellationToken) => RunAsync(options, args, Console.Out, Console.Error, cancellationToken));
        var parsed = root.Parse(args, new ParserConfiguration { EnablePosixBundling = false });
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, interrupt.Token).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="options"/> and prints its summary. Exit code 0, or 1 when no client connected.</summary>
    /// <param name="options">The run.</param>
    /// <param name="arguments">This process's command line, handed to worker processes.</param>
    /// <param name="output">Progress and summary (with --json: the summary only).</param>
    /// <param name="errors">Problems, and progress with --json.</param>
    /// <param name="cancellationToken">An interrupt.</param>
    public static async Task<int> RunAsync(BenchOptions options, IReadOnlyList<string> arguments, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            if (options.WorkerIndex is { } index)
            {
                return await RunWorkerAsync(options, index, output, cancellationToken).ConfigureAwait(false);
            }

            var progress = new TextProgress(options.Json ? errors : output);
            var summary = options.Workers > 1
                ? await WorkerHost.RunAsync(options, arguments, progress, errors, cancellationToken).ConfigureAwait(false)
                : await BenchRun.RunAsync(options, progress, cancellationToken).ConfigureAwait(false);
            var report = SummaryReport.From(summary);
            if (options.Json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(report, LoadGenJson.Default.SummaryReport)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(TextSummary.Format(report)).ConfigureAwait(false);
            }

            return summary.Counters.ConnectSucc > 0 ? 0 : 1;
        }
        catch (SocketException exception)
        {
            await errors.WriteLineAsync($"cannot reach {options.Host}: {exception.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<int> RunWorkerAsync(BenchOptions options, int index, TextWriter output, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = StopWhenInputEndsAsync(stopping);
        var summary = await BenchRun.RunAsync(options, new WorkerProgress(output, index), stopping.Token).ConfigureAwait(false);
        await output.WriteLineAsync(WorkerMessage.Final(index, summary).ToJsonLine()).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    /// <summary>A worker's standard input is its parent's pipe: when it closes, the parent wants the run to end.</summary>
    private static async Task StopWhenInputEndsAsync(CancellationTokenSource stopping)
    {
        try
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (await input.ReadAsync(buffer, stopping.Token).ConfigureAwait(false) > 0)
            {
                // The parent sends nothing: only the end of the stream matters.
            }

            await stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // The run ended first.
        }
    }

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource interrupt)
    {
        if (interrupt.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        interrupt.Cancel();
    }
}
