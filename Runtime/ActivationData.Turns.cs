namespace GrainMQ.Runtime;

// What the owning worker runs: slices of steps (posted continuations, messages, timer ticks, lifecycle sequences).
internal sealed partial class ActivationData
{
    private readonly ActivationSynchronizationContext _context;
    private readonly Action _onTurnCompleted;

    // Owned by the worker running this activation.
    private Grain? _grain;
    private StepKind _inflightKind;
    private Envelope? _inflightEnvelope;
    private ValueTask<object?> _inflightReceive;
    private long _inflightStarted;
    private Task? _inflightTask;
    private GrainTimer? _inflightTimer;
    private DeactivationReason _deactivationReason;

    private enum StepKind : byte
    {
        None,
        Posted,
        Activate,
        Message,
        TimerTick,
        Deactivate,
    }

    /// <summary>
    /// Runs up to <see cref="RuntimeOptions.MaxTurnsPerSlice"/> steps, then goes to the back of the run queue. Returns
    /// early, giving up ownership, when there is nothing to do or a turn is awaiting something.
    /// </summary>
    public void RunSlice()
    {
        var maxSteps = Runtime.Options.MaxTurnsPerSlice;
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            for (var step = 0; step < maxSteps; step++)
            {
                if (!RunOneStep())
                {
                    return;
                }
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        Runtime.WorkScheduler.Schedule(this);
    }

    private bool RunOneStep()
    {
        StepKind step;
        PostedCallback posted = default;
        Envelope? envelope = null;
        var reason = DeactivationReason.IdleTimeout;
        lock (_lock)
        {
            if (_posted.TryDequeue(out posted))
            {
                step = StepKind.Posted;
            }
            else
            {
                step = _turnInFlight ? StepKind.None : ChooseStep(out envelope, out reason);
            }

            if (step == StepKind.None)
            {
                _scheduled = false;
                return false;
            }
        }

        switch (step)
        {
            case StepKind.Posted:
                RunPosted(posted);
                break;
            case StepKind.Activate:
                StartActivation();
                break;
            case StepKind.Message:
                StartReceive(envelope!);
                break;
            case StepKind.TimerTick:
                StartTimerTick((GrainTimer)envelope!.Body);
                break;
            default:
                StartDeactivation(reason);
                break;
        }

        return true;
    }

    // Under _lock, with no turn in flight: what to do next.
    private StepKind ChooseStep(out Envelope? envelope, out DeactivationReason reason)
    {
        envelope = null;
        reason = DeactivationReason.IdleTimeout;
        switch (_status)
        {
            case ActivationStatus.Created:
                _status = ActivationStatus.Activating;
                return StepKind.Activate;
            case ActivationStatus.Active:
                break;
            default:
                return StepKind.None;
        }

        if (_deactivationRequest is not (DeactivationReason.Requested or DeactivationReason.StateConflict) && _mailbox.TryDequeue(out envelope))
        {
            return envelope.Kind == EnvelopeKind.Message ? StepKind.Message : StepKind.TimerTick;
        }

        if (_deactivationRequest is not { } requested)
        {
            return StepKind.None;
        }

        _deactivationRequest = null;
        if (requested == DeactivationReason.IdleTimeout && !IsIdle(Environment.TickCount64))
        {
            return StepKind.None;
        }

        reason = requested;
        _status = ActivationStatus.Deactivating;
        return StepKind.Deactivate;
    }

    private void RunPosted(PostedCallback posted)
    {
        try
        {
            posted.Invoke();
        }
        catch (Exception ex)
        {
            Log.PostedCallbackFailed(GrainType.Logger, ex, Id);
        }
    }

    private void StartReceive(Envelope envelope)
    {
        var started = Runtime.CallInstruments.Start();
        ValueTask<object?> pending;
        try
        {
            pending = _grain!.ReceiveAsync(envelope.Body);
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromException<object?>(ex);
        }

        if (pending.IsCompleted)
        {
            FinishReceive(envelope, pending, started);
            return;
        }

        _inflightKind = StepKind.Message;
        _inflightEnvelope = envelope;
        _inflightReceive = pending;
        _inflightStarted = started;
        MarkTurnInFlight();
        pending.GetAwaiter().UnsafeOnCompleted(_onTurnCompleted);
    }

    private void StartTimerTick(GrainTimer timer)
    {
        if (timer.IsDisposed)
        {
            return;
        }

        Task task;
        try
        {
            task = timer.Invoke();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        if (task.IsCompleted)
        {
            FinishTimerTick(timer, task);
        }
        else
        {
            _inflightTimer = timer;
            Suspend(StepKind.TimerTick, task);
        }
    }

    // The turn awaits something: give up the worker. Because the synchronization context is this activation's, the
    // completion (like every continuation inside the turn) is posted back here, which puts the activation on the
    // run queue again; until then no other message of this activation runs.
    private void Suspend(StepKind kind, Task task)
    {
        _inflightKind = kind;
        _inflightTask = task;
        MarkTurnInFlight();
        task.GetAwaiter().UnsafeOnCompleted(_onTurnCompleted);
    }

    private void MarkTurnInFlight()
    {
        lock (_lock)
        {
            _turnInFlight = true;
        }
    }

    private void OnTurnCompleted()
    {
        lock (_lock)
        {
            _turnInFlight = false;
        }

        var task = _inflightTask;
        _inflightTask = null;
        switch (_inflightKind)
        {
            case StepKind.Message:
                var envelope = _inflightEnvelope!;
                var pending = _inflightReceive;
                _inflightEnvelope = null;
                _inflightReceive = default;
                FinishReceive(envelope, pending, _inflightStarted);
                break;
            case StepKind.TimerTick:
                var timer = _inflightTimer!;
                _inflightTimer = null;
                FinishTimerTick(timer, task!);
                break;
            case StepKind.Activate:
                FinishActivation(task!);
                break;
            default:
                FinishDeactivation(task!);
                break;
        }
    }

    private void FinishReceive(Envelope envelope, ValueTask<object?> pending, long started)
    {
        var failed = false;
        try
        {
            var reply = pending.GetAwaiter().GetResult();
            envelope.Response?.Complete(reply);
        }
        catch (Exception ex)
        {
            failed = true;
            if (envelope.Response is { } response)
            {
                response.Fail(ex);
            }
            else
            {
                Log.TellFailed(GrainType.Logger, ex, envelope.Body.GetType().Name, Id);
            }
        }

        Runtime.CallInstruments.Record(GrainType.Name, envelope.Body, started, failed);
        GrainType.CountMessage();
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
    }

    private void FinishTimerTick(GrainTimer timer, Task task)
    {
        if (task.Exception is { } error)
        {
            Log.TimerFailed(GrainType.Logger, error.InnerException ?? error, Id);
        }

        timer.ScheduleNext();
    }
}
