namespace GrainMQ.Runtime;

internal enum ActivationStatus : byte
{
    Created,
    Activating,
    Active,
    Deactivating,
    Dead,
}

/// <summary>
/// One activation of a grain: its mailbox, its lifecycle status and the grain instance. Ownership (see also the
/// overview at the top of GrainScheduler.cs):
/// <list type="bullet">
/// <item>Fields marked "guarded" change only under <see cref="_lock"/>; any thread may enqueue or post.</item>
/// <item>Fields marked "owned" belong to the worker that currently runs the activation: the one that dequeued it from
/// the run queue while <see cref="_scheduled"/> was true. Exactly one worker holds it at a time.</item>
/// <item>The activity clocks are written with Volatile/Interlocked and read without the lock by the idle collector.</item>
/// </list>
/// This file holds what other threads call; ActivationData.Turns.cs holds what the owning worker runs.
/// </summary>
internal sealed partial class ActivationData
{
    private readonly Lock _lock = new();

    // Guarded by _lock.
    private readonly Queue<Envelope> _mailbox = new();
    private readonly Queue<PostedCallback> _posted = new();
    private ActivationStatus _status;
    private bool _scheduled;
    private bool _turnInFlight;
    private DeactivationReason? _deactivationRequest;
    private TaskCompletionSource? _deactivated;
    private List<GrainTimer>? _timers;

    // Activity clocks (Environment.TickCount64 milliseconds).
    private long _lastActivity;
    private long _keepAliveUntil;
    private int _pendingKeepAliveTimers;

    public ActivationData(GrainId id, GrainTypeInfo grainType, GrainRuntime runtime)
    {
        Id = id;
        GrainType = grainType;
        Runtime = runtime;
        _context = new ActivationSynchronizationContext(this);
        _onTurnCompleted = OnTurnCompleted;
        _lastActivity = Environment.TickCount64;
    }

    // A successor takes over the messages that arrived while its predecessor was deactivating. It is built before it
    // is published in the catalog and starts scheduled: its creator puts it on the run queue.
    private ActivationData(ActivationData predecessor)
        : this(predecessor.Id, predecessor.GrainType, predecessor.Runtime)
    {
        foreach (var envelope in predecessor._mailbox)
        {
            if (envelope.Kind == EnvelopeKind.Message)
            {
                _mailbox.Enqueue(envelope);
            }
        }

        _scheduled = true;
    }

    public GrainId Id { get; }

    public GrainTypeInfo GrainType { get; }

    public GrainRuntime Runtime { get; }

    /// <summary>Queues a message. False when this activation is dead (the caller looks the grain up again).</summary>
    public bool TryEnqueue(Envelope envelope)
    {
        bool schedule;
        lock (_lock)
        {
            if (_status == ActivationStatus.Dead)
            {
                return false;
            }

            _mailbox.Enqueue(envelope);
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            schedule = !_scheduled && !_turnInFlight;
            _scheduled |= schedule;
        }

        if (schedule)
        {
            Runtime.WorkScheduler.Schedule(this);
        }

        return true;
    }

    public bool TryEnqueueTimerTick(Envelope tick, bool keepAlive)
    {
        bool schedule;
        lock (_lock)
        {
            if (_status is ActivationStatus.Dead or ActivationStatus.Deactivating)
            {
                return false;
            }

            _mailbox.Enqueue(tick);
            if (keepAlive)
            {
                Volatile.Write(ref _lastActivity, Environment.TickCount64);
            }

            schedule = !_scheduled && !_turnInFlight;
            _scheduled |= schedule;
        }

        if (schedule)
        {
            Runtime.WorkScheduler.Schedule(this);
        }

        return true;
    }

    /// <summary>Called through the synchronization context by continuations of this activation's turns.</summary>
    public void Post(SendOrPostCallback callback, object? state)
    {
        bool dead;
        var schedule = false;
        lock (_lock)
        {
            dead = _status == ActivationStatus.Dead;
            if (!dead)
            {
                _posted.Enqueue(new PostedCallback(callback, state));
                schedule = !_scheduled;
                _scheduled = true;
            }
        }

        if (dead)
        {
            // A continuation of work the grain left running after its activation ended: nothing to serialise it with.
            ThreadPool.UnsafeQueueUserWorkItem(static posted => posted.Invoke(), new PostedCallback(callback, state), preferLocal: false);
        }
        else if (schedule)
        {
            Runtime.WorkScheduler.Schedule(this);
        }
    }

    /// <summary>
    /// Asks the activation to deactivate. <see cref="DeactivationReason.Requested"/> and
    /// <see cref="DeactivationReason.StateConflict"/> happen after the current turn;
    /// <see cref="DeactivationReason.ShuttingDown"/> after the queued messages; <see cref="DeactivationReason.IdleTimeout"/>
    /// only if the activation is still idle when its turn comes. With <paramref name="waitable"/>, the task completes
    /// when the activation is dead.
    /// </summary>
    public Task RequestDeactivation(DeactivationReason reason, bool waitable = false)
    {
        Task result;
        bool schedule;
        lock (_lock)
        {
            if (_status == ActivationStatus.Dead)
            {
                return Task.CompletedTask;
            }

            if (reason == DeactivationReason.IdleTimeout
                && (_status != ActivationStatus.Active || _deactivationRequest is not null || _turnInFlight || _mailbox.Count > 0))
            {
                return Task.CompletedTask;
            }

            if (_deactivationRequest is not { } current || Rank(reason) > Rank(current))
            {
                _deactivationRequest = reason;
            }

            result = waitable
                ? (_deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                : Task.CompletedTask;
            schedule = !_scheduled && !_turnInFlight;
            _scheduled |= schedule;
        }

        if (schedule)
        {
            Runtime.WorkScheduler.Schedule(this);
        }

        return result;
    }

    /// <summary>
    /// Called by <see cref="Grain{TState}"/> (in a turn) when a state write or clear of this activation lost to another
    /// activation's: the activation stops after the current turn, before any queued message.
    /// </summary>
    public void OnStateConflict(InconsistentStateException conflict)
    {
        Log.StateConflict(Runtime.Logger, Id, conflict.ExpectedVersion, conflict.StoredVersion);
        RequestDeactivation(DeactivationReason.StateConflict);
    }

    /// <summary>Called by the idle collector (any thread).</summary>
    public void CollectIfIdle(long now)
    {
        if (IsIdle(now))
        {
            RequestDeactivation(DeactivationReason.IdleTimeout);
        }
    }

    public void KeepAliveFor(TimeSpan duration)
    {
        var until = Environment.TickCount64 + (long)Math.Ceiling(duration.TotalMilliseconds);
        long current;
        do
        {
            current = Volatile.Read(ref _keepAliveUntil);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _keepAliveUntil, until, current) != current);
    }

    public IDisposable RegisterTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive)
    {
        var timer = new GrainTimer(this, callback, period, keepAlive);
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Dead)
            {
                throw new InvalidOperationException($"Grain {Id} is deactivating; it cannot register timers.");
            }

            (_timers ??= []).Add(timer);
        }

        timer.Start(dueTime);
        return timer;
    }

    public void AdjustPendingKeepAliveTimers(int delta) => Interlocked.Add(ref _pendingKeepAliveTimers, delta);

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    private static int Rank(DeactivationReason reason) => reason switch
    {
        DeactivationReason.IdleTimeout => 0,
        DeactivationReason.ShuttingDown => 1,
        DeactivationReason.Requested => 2,
        _ => 3,
    };

    private bool IsIdle(long now) =>
        now - Volatile.Read(ref _lastActivity) >= GrainType.IdleTimeoutMilliseconds
        && now >= Volatile.Read(ref _keepAliveUntil)
        && Volatile.Read(ref _pendingKeepAliveTimers) == 0;

    private void DisposeTimers()
    {
        List<GrainTimer>? timers;
        lock (_lock)
        {
            timers = _timers;
            _timers = null;
        }

        if (timers is not null)
        {
            foreach (var timer in timers)
            {
                timer.Dispose();
            }
        }
    }

    // Under _lock: removes and returns the queued messages (timer ticks are dropped).
    private List<Envelope>? DrainMessages()
    {
        List<Envelope>? messages = null;
        while (_mailbox.TryDequeue(out var envelope))
        {
            if (envelope.Kind == EnvelopeKind.Message)
            {
                (messages ??= []).Add(envelope);
            }
        }

        return messages;
    }

    private bool HasQueuedMessages()
    {
        foreach (var envelope in _mailbox)
        {
            if (envelope.Kind == EnvelopeKind.Message)
            {
                return true;
            }
        }

        return false;
    }
}
