using System.Threading.Tasks.Sources;

namespace GrainMQ.Gateway;

/// <summary>
/// The outbound queue of one connection: any thread adds (the session's turn through the observer, the read loop, a
/// closing side), one reader takes (the write loop). It replaces an unbounded channel because an idle connection
/// should cost next to nothing: the channel kept a 32-slot segment and two reusable wait operations per connection
/// (about 1 KB), this keeps one object and no buffer while empty (the item queue is dropped once drained after a
/// burst). Ownership: <c>_items</c>, <c>_completed</c>, <c>_waiting</c> and <c>_claimed</c> change under <c>_lock</c>;
/// the waiter is reset only by the reader, while it is not waiting, and completed once per wait by whoever clears
/// <c>_waiting</c>.
/// <para>
/// Writing past the queue: while the reader waits on an empty queue, one producer at a time may claim the pipe
/// (<see cref="TryClaimWriter"/>) and write its item itself, saving the reader's wake-up. While claimed, items queue
/// and <see cref="Complete"/> is recorded, but the reader is not woken until <see cref="ReleaseWriter"/>; so the pipe
/// has one writer at a time, and an item queued while the claim is held is written after the claimed one.
/// </para>
/// </summary>
internal sealed class OutboundQueue : IValueTaskSource<bool>
{
    /// <summary>A drained queue that held more than this is released, so a past burst does not stay in memory.</summary>
    private const int KeptCapacity = 16;

    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private Queue<object>? _items;
    private int _peak;
    private bool _waiting;
    private bool _claimed;
    private bool _completed;

    /// <summary>Adds an item; false once <see cref="Complete"/> was called.</summary>
    public bool TryWrite(object item)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            var items = _items ??= new Queue<object>();
            items.Enqueue(item);
            _peak = Math.Max(_peak, items.Count);
            if (!_waiting || _claimed)
            {
                return true;
            }

            _waiting = false;
        }

        _waiter.SetResult(true);
        return true;
    }

    /// <summary>No more items will be added; the reader still gets those already queued.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_waiting || _claimed)
            {
                return;
            }

            _waiting = false;
        }

        _waiter.SetResult(false);
    }

    /// <summary>
    /// Claims the pipe for the caller, who then writes its item itself instead of queueing it: only while the reader
    /// waits on an empty queue, the queue is not completed and nobody else holds the claim. The caller must call
    /// <see cref="ReleaseWriter"/> once it has flushed (or failed to).
    /// </summary>
    public bool TryClaimWriter()
    {
        lock (_lock)
        {
            if (!_waiting || _claimed || _completed || _items is { Count: > 0 })
            {
                return false;
            }

            _claimed = true;
            return true;
        }
    }

    /// <summary>Gives the pipe back; wakes the reader if items were queued, or the queue completed, meanwhile.</summary>
    public void ReleaseWriter()
    {
        bool hasItems;
        lock (_lock)
        {
            _claimed = false;
            hasItems = _items is { Count: > 0 };
            if (!_waiting || !(hasItems || _completed))
            {
                return;
            }

            _waiting = false;
        }

        _waiter.SetResult(hasItems);
    }

    /// <summary>Reader only: takes the next item, if any.</summary>
    public bool TryRead(out object item)
    {
        lock (_lock)
        {
            if (_items is { } items && items.TryDequeue(out item!))
            {
                if (items.Count == 0 && _peak > KeptCapacity)
                {
                    _items = null;
                    _peak = 0;
                }

                return true;
            }
        }

        item = null!;
        return false;
    }

    /// <summary>Reader only: true when an item is there (now or later), false when completed and drained.</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_lock)
        {
            if (_items is { Count: > 0 })
            {
                return new(true);
            }

            if (_completed)
            {
                return new(false);
            }

            _waiter.Reset();
            _waiting = true;
            return new(this, _waiter.Version);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);
}
