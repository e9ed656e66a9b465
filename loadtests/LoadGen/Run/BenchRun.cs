using System.Diagnostics;
using GrainMQ.LoadGen.Client;
using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;
using GrainMQ.LoadGen.Timing;
using GrainMQ.Protocol;

namespace GrainMQ.LoadGen.Run;

/// <summary>
/// One process's share of a run: connects its clients at the asked pace, lets them work, prints progress every
/// second, and ends on the first of: the duration, an interrupt, the message limit, or every client gone.
/// Then it waits for outstanding acknowledgements, disconnects everyone and returns the summary.
/// </summary>
internal sealed class BenchRun
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource<string> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WorkerSlice _slice;
    private readonly BenchClient?[] _clients;
    private readonly long _receiveLimit;
    private int _started;
    private int _open;
    private long _inflight;
    private volatile bool _connectorDone;
    private volatile bool _draining;

    private BenchRun(BenchOptions options, TransportFactory transports)
    {
        Options = options;
        Transports = transports;
        var workerIndex = options.WorkerIndex ?? 0;
        _slice = WorkerSlice.For(options.Clients, options.StartNumber, workerIndex, options.WorkerCount);
        _clients = new BenchClient?[_slice.ClientCount];
        var limit = options.MessageLimit > 0 ? WorkerSlice.Share(options.MessageLimit, workerIndex, options.WorkerCount) : 0;
        Topic = options.Topic is null ? null : Topics.TopicTemplate.Parse(options.Topic);
        if (options.Mode == BenchMode.Pub)
        {
            Scheduler = new PublishScheduler(this, options.PublishIntervalMs, options.PayloadSize, limit);
        }
        else if (options.Mode == BenchMode.Sub)
        {
            _receiveLimit = limit;
        }
    }

    public BenchOptions Options { get; }

    public BenchStats Stats { get; } = new();

    public Topics.TopicTemplate? Topic { get; }

    public TransportFactory Transports { get; }

    public PublishScheduler? Scheduler { get; }

    /// <summary>Runs this process's share of the run described by <paramref name="options"/>.</summary>
    /// <param name="options">The run.</param>
    /// <param name="progress">Receives the totals every second and once at the end.</param>
    /// <param name="cancellationToken">An interrupt: ends the run early, still with a summary.</param>
    public static async Task<RunSummary> RunAsync(BenchOptions options, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.GetTimestamp();
        using var transports = await TransportFactory.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        var run = new BenchRun(options, transports);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.DurationSeconds > 0)
        {
            stopping.CancelAfter(TimeSpan.FromSeconds(options.DurationSeconds));
        }

        using var registration = stopping.Token.Register(() => run.Finish(cancellationToken.IsCancellationRequested ? "interrupted" : "duration"));
        var reporter = run.ReportAsync(progress, started, stopping.Token);
        var keepAlive = run.KeepAliveAsync(stopping.Token);
        var scheduler = run.ScheduleAsync(stopping.Token);
        var connector = run.ConnectAllAsync(stopping.Token);

        var reason = await run._finished.Task.ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(connector, scheduler, reporter, keepAlive).ConfigureAwait(false);
        await run.DrainAsync().ConfigureAwait(false);
        await run.DisconnectAllAsync().ConfigureAwait(false);

        var elapsed = Stopwatch.GetElapsedTime(started);
        progress.Tick((long)Math.Round(elapsed.TotalSeconds), run.Stats.Counters());
        return RunSummary.From(run.Stats, options.Mode, Math.Round(elapsed.TotalSeconds, 3), reason);
    }

    /// <summary>Counts a receipt and ends a sub run that has reached its limit.</summary>
    public void OnReceived(long latencyMicros, long wallClockTicks)
    {
        Stats.Received(latencyMicros, wallClockTicks);
        if (_receiveLimit > 0 && Stats.Recv >= _receiveLimit)
        {
            Finish("limit");
        }
    }

    public void InflightAdded() => Interlocked.Increment(ref _inflight);

    public void InflightReleased(int count)
    {
        if (count > 0 && Interlocked.Add(ref _inflight, -count) == 0 && _draining)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>A client has finished (failed to connect, or its connection ended).</summary>
    public void ClientEnded()
    {
        if (Interlocked.Decrement(ref _open) == 0 && _connectorDone)
        {
            Finish("all_clients_closed");
        }
    }

    private void Finish(string reason) => _finished.TrySetResult(reason);

    private async Task ConnectAllAsync(CancellationToken stopping)
    {
        var pacing = ConnectPacing.For(Options.ConnectIntervalMs, Options.ConnectRate, Options.WorkerCount);
        var start = Stopwatch.GetTimestamp();
        var attempts = new List<Task>(_clients.Length);
        try
        {
            while (_started < _clients.Length)
            {
                var due = pacing.DueBy(Stopwatch.GetElapsedTime(start), _clients.Length);
                for (; _started < due; _started++)
                {
                    var client = new BenchClient(this, _slice.FirstSequence + _started);
                    Volatile.Write(ref _clients[_started], client);
                    Interlocked.Increment(ref _open);
                    attempts.Add(client.RunAsync(stopping));
                }

                var untilNext = pacing.StartOf(_started) - Stopwatch.GetElapsedTime(start);
                if (_started < _clients.Length && untilNext > TimeSpan.Zero)
                {
                    await Task.Delay(untilNext, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is ending: no more clients.
        }

        _connectorDone = true;
        if (Volatile.Read(ref _open) == 0)
        {
            Finish("all_clients_closed");
        }

        await Task.WhenAll(attempts).ConfigureAwait(false);
    }

    private async Task ScheduleAsync(CancellationToken stopping)
    {
        if (Scheduler is not null && await Scheduler.RunAsync(stopping).ConfigureAwait(false))
        {
            Finish("limit");
        }
    }

    private async Task ReportAsync(IProgressSink progress, long started, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TickPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                progress.Tick((long)Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds), Stats.Counters());
            }
        }
        catch (OperationCanceledException)
        {
            // The run is ending; the final tick follows the shutdown.
        }
    }

    private async Task KeepAliveAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TickPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                var count = Volatile.Read(ref _started);
                for (var index = 0; index < count; index++)
                {
                    Volatile.Read(ref _clients[index])?.PingIfIdle(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is ending.
        }
    }

    /// <summary>Waits (up to the drain timeout) for the acknowledgements of QoS 1/2 publishes already sent.</summary>
    private async Task DrainAsync()
    {
        if (Options.Mode != BenchMode.Pub || Options.QoS == MqttQoS.AtMostOnce)
        {
            return;
        }

        _draining = true;
        if (Volatile.Read(ref _inflight) == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(TimeSpan.FromSeconds(Options.DrainTimeoutSeconds)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Stats.Error("unacknowledged_at_end");
        }
    }

    private async Task DisconnectAllAsync()
    {
        var closing = new List<Task>(_clients.Length);
        foreach (var client in _clients)
        {
            if (client is not null)
            {
                client.Disconnect();
                closing.Add(client.Closed);
            }
        }

        try
        {
            await Task.WhenAll(closing).WaitAsync(BenchLimits.DisconnectTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var client in _clients)
            {
                client?.Abort();
            }
        }
    }
}
