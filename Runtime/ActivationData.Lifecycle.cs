namespace GrainMQ.Runtime;

// The activation and deactivation sequences. Both run as turns on the owning worker (they may await, like any turn);
// their Finish methods change the status and, for a death, the catalog entry.
internal sealed partial class ActivationData
{
    private void StartActivation()
    {
        var task = ActivateAsync();
        if (task.IsCompleted)
        {
            FinishActivation(task);
        }
        else
        {
            Suspend(StepKind.Activate, task);
        }
    }

    private async Task ActivateAsync()
    {
        _grain = Grain.Create(this, GrainType.Factory, Runtime.Services);
        await _grain.LoadStateAsync(Runtime.ShutdownToken);
        await _grain.OnActivateAsync(Runtime.ShutdownToken);
    }

    private void StartDeactivation(DeactivationReason reason)
    {
        _deactivationReason = reason;
        var task = DeactivateAsync(reason);
        if (task.IsCompleted)
        {
            FinishDeactivation(task);
        }
        else
        {
            Suspend(StepKind.Deactivate, task);
        }
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        DisposeTimers();
        if (reason == DeactivationReason.StateConflict)
        {
            // The activation's state is stale: whatever OnDeactivateAsync would do or write belongs to the newer one.
            return;
        }

        var grain = _grain!;
        try
        {
            await grain.OnDeactivateAsync(reason, Runtime.ShutdownToken);
        }
        catch (Exception ex)
        {
            // A lost state write was logged as such when it happened (OnStateConflict), and nothing is written after it.
            if (ex is not InconsistentStateException)
            {
                Log.OnDeactivateFailed(GrainType.Logger, ex, Id, reason);
            }
        }

        await grain.PersistIfDirtyAsync(CancellationToken.None);
    }

    private void FinishActivation(Task task)
    {
        if (task.IsCompletedSuccessfully)
        {
            lock (_lock)
            {
                _status = ActivationStatus.Active;
            }

            GrainType.CountActivation();
            Log.GrainActivated(Runtime.Logger, Id);
            Runtime.RuntimeStatistics.RaiseActivated(Id);
            return;
        }

        var error = task.Exception?.InnerException ?? new OperationCanceledException($"Activation of grain {Id} was canceled.");
        DisposeTimers();
        if (error is InconsistentStateException)
        {
            // A write of OnActivateAsync lost (logged by OnStateConflict): the queued messages go to an activation
            // that reads the state again, as after a deactivation.
            Retire(counted: false)?.TrySetResult();
            return;
        }

        List<Envelope>? pending;
        TaskCompletionSource? dead;
        lock (_lock)
        {
            Runtime.Catalog.Remove(this);
            _status = ActivationStatus.Dead;
            pending = DrainMessages();
            dead = _deactivated;
        }

        _grain = null;
        Log.ActivationFailed(Runtime.Logger, error, Id, pending?.Count ?? 0);
        if (pending is not null)
        {
            foreach (var envelope in pending)
            {
                if (envelope.Response is { } response)
                {
                    response.Fail(error);
                }
                else
                {
                    Log.MessageDropped(Runtime.Logger, envelope.Body.GetType().Name, Id, "activation failed");
                }
            }
        }

        dead?.TrySetResult();
    }

    private void FinishDeactivation(Task task)
    {
        if (task.Exception is { } error && error.InnerException is not InconsistentStateException)
        {
            Log.DeactivationFailed(Runtime.Logger, error.InnerException ?? error, Id, _deactivationReason);
        }

        var dead = Retire(counted: true);
        Runtime.RuntimeStatistics.RaiseDeactivated(Id, _deactivationReason);
        dead?.TrySetResult();
    }

    // Leaves the catalog and dies; returns what waits for the death. Messages that arrived during deactivation go to a
    // fresh activation, which reads the state again (the one just written, or a newer activation's); without one here
    // they are routed again. The catalog changes before the status does, so a sender that sees Dead finds the successor.
    private TaskCompletionSource? Retire(bool counted)
    {
        ActivationData? successor = null;
        List<Envelope>? undeliverable = null;
        TaskCompletionSource? dead;
        lock (_lock)
        {
            if (HasQueuedMessages() && Runtime.Catalog.AcceptsNewActivations && Runtime.MessageCenter.OwnsLocally(Id))
            {
                successor = new ActivationData(this);
                Runtime.Catalog.Replace(this, successor);
            }
            else
            {
                Runtime.Catalog.Remove(this);
                undeliverable = DrainMessages();
            }

            _mailbox.Clear();
            _status = ActivationStatus.Dead;
            dead = _deactivated;
        }

        _grain = null;
        if (counted)
        {
            GrainType.CountDeactivation();
            Log.GrainDeactivated(Runtime.Logger, Id, _deactivationReason);
        }

        if (successor is not null)
        {
            Runtime.WorkScheduler.Schedule(successor);
        }

        if (undeliverable is not null)
        {
            foreach (var envelope in undeliverable)
            {
                Runtime.MessageCenter.Reroute(envelope);
            }
        }

        return dead;
    }
}
