namespace GrainMQ.Runtime;

/// <summary>
/// A grain timer. Its System.Threading.Timer only enqueues a tick envelope (reused for every tick) into the
/// activation's mailbox; the callback runs as a turn. The next tick is armed after the callback completes, so ticks
/// of one timer never pile up.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly ActivationData _owner;
    private readonly Func<Task> _callback;
    private readonly TimeSpan _period;
    private readonly Envelope _tick;
    private readonly Timer _timer;
    private volatile bool _disposed;
    private int _holdsActivation;

    public GrainTimer(ActivationData owner, Func<Task> callback, TimeSpan period, bool keepAlive)
    {
        _owner = owner;
        _callback = callback;
        _period = period;
        KeepAlive = keepAlive;
        _tick = new Envelope(owner.Id, this, response: null, EnvelopeKind.TimerTick);
        _timer = new Timer(static state => ((GrainTimer)state!).Fire(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public bool KeepAlive { get; }

    public bool IsDisposed => _disposed;

    public void Start(TimeSpan dueTime)
    {
        HoldActivation(KeepAlive && dueTime != Timeout.InfiniteTimeSpan);
        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs the callback; called by the owning activation's turn.</summary>
    public Task Invoke() => _callback() ?? Task.CompletedTask;

    /// <summary>Arms the next tick; called by the owning activation after the callback completed.</summary>
    public void ScheduleNext()
    {
        if (_period == Timeout.InfiniteTimeSpan)
        {
            HoldActivation(false);
        }
        else if (!_disposed)
        {
            try
            {
                _timer.Change(_period, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed concurrently by the grain: nothing to arm.
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer.Dispose();
        HoldActivation(false);
        _owner.RemoveTimer(this);
    }

    // A pending keep-alive timer keeps its activation from idle collection until it has fired (or is disposed).
    private void HoldActivation(bool hold)
    {
        var value = hold ? 1 : 0;
        if (Interlocked.Exchange(ref _holdsActivation, value) != value)
        {
            _owner.AdjustPendingKeepAliveTimers(hold ? 1 : -1);
        }
    }

    private void Fire()
    {
        if (!_disposed && !_owner.TryEnqueueTimerTick(_tick, KeepAlive))
        {
            Dispose();
        }
    }
}
