namespace GrainMQ.Runtime;

/// <summary>
/// Times out pending AskAsync calls without a timer per call. Every request has the same timeout, so appending to a
/// list keeps it ordered by deadline: tracking and untracking are O(1) under a short lock, and one periodic sweep
/// fails the expired head of the list. Owner: the list links of every tracked <see cref="PendingResponse"/> belong to
/// this class and are changed only under <see cref="_lock"/>.
/// </summary>
internal sealed class ResponseTracker : IDisposable
{
    private static readonly TimeSpan MinimumSweepInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumSweepInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly TimeSpan _timeout;
    private readonly long _timeoutMilliseconds;
    private readonly Timer _sweepTimer;
    private PendingResponse? _head;
    private PendingResponse? _tail;
    private bool _disposed;

    public ResponseTracker(TimeSpan timeout)
    {
        _timeout = timeout;
        _timeoutMilliseconds = (long)Math.Ceiling(timeout.TotalMilliseconds);
        var sweep = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, MinimumSweepInterval.Ticks, MaximumSweepInterval.Ticks));
        _sweepTimer = new Timer(static state => ((ResponseTracker)state!).Sweep(), this, sweep, sweep);
    }

    public void Track(PendingResponse response, CancellationToken cancellationToken)
    {
        response.Tracker = this;
        lock (_lock)
        {
            if (_disposed)
            {
                response.TrySetException(new ObjectDisposedException(nameof(GrainRuntime)));
                return;
            }

            response.DeadlineTicks = Environment.TickCount64 + _timeoutMilliseconds;
            response.Previous = _tail;
            response.Next = null;
            if (_tail is null)
            {
                _head = response;
            }
            else
            {
                _tail.Next = response;
            }

            _tail = response;
            response.Linked = true;
        }

        if (cancellationToken.CanBeCanceled)
        {
            response.Cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingResponse)state!).Cancel(token),
                response);
        }
    }

    public void Remove(PendingResponse response)
    {
        lock (_lock)
        {
            if (response.Linked)
            {
                Unlink(response);
            }
        }
    }

    public void Dispose()
    {
        _sweepTimer.Dispose();
        PendingResponse? abandoned;
        lock (_lock)
        {
            _disposed = true;
            abandoned = DetachExpired(long.MaxValue);
        }

        for (var response = abandoned; response is not null; response = response.Next)
        {
            response.Cancellation.Unregister();
            response.TrySetException(new ObjectDisposedException(nameof(GrainRuntime), "The grain runtime stopped before the reply arrived."));
        }
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        PendingResponse? expired;
        lock (_lock)
        {
            expired = DetachExpired(now);
        }

        for (var response = expired; response is not null; response = response.Next)
        {
            response.Cancellation.Unregister();
            response.TrySetException(new TimeoutException($"No reply from grain {response.Target} within {_timeout}."));
        }
    }

    // Under _lock: removes the responses due by `now` (a prefix of the list) and returns them as a chain via Next.
    private PendingResponse? DetachExpired(long now)
    {
        var first = _head;
        var last = (PendingResponse?)null;
        for (var response = _head; response is not null && response.DeadlineTicks <= now; response = response.Next)
        {
            response.Linked = false;
            last = response;
        }

        if (last is null)
        {
            return null;
        }

        _head = last.Next;
        if (_head is null)
        {
            _tail = null;
        }
        else
        {
            _head.Previous = null;
        }

        last.Next = null;
        return first;
    }

    private void Unlink(PendingResponse response)
    {
        if (response.Previous is null)
        {
            _head = response.Next;
        }
        else
        {
            response.Previous.Next = response.Next;
        }

        if (response.Next is null)
        {
            _tail = response.Previous;
        }
        else
        {
            response.Next.Previous = response.Previous;
        }

        response.Previous = null;
        response.Next = null;
        response.Linked = false;
    }
}
