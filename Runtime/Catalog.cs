using System.Collections.Concurrent;

namespace GrainMQ.Runtime;

/// <summary>
/// The directory of live activations in this silo: at most one <see cref="ActivationData"/> per <see cref="GrainId"/>.
/// An entry is added by the first message (GetOrAdd) and removed or replaced only by its own activation, under the
/// activation's lock, before the activation becomes visibly dead — so a sender that finds a dead activation retries
/// and finds the successor or an empty slot. Lock order: activation lock, then the dictionary's internal locks.
/// </summary>
internal sealed class Catalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly GrainRuntime _runtime;
    private volatile bool _refuseNewActivations;
    private int _collecting;

    public Catalog(GrainRuntime runtime) => _runtime = runtime;

    /// <summary>False once the runtime is stopping: no new activation (nor successor) is created.</summary>
    public bool AcceptsNewActivations => !_refuseNewActivations;

    public int Count => _activations.Count;

    public void RefuseNewActivations() => _refuseNewActivations = true;

    public void Deliver(Envelope envelope)
    {
        while (true)
        {
            if (!_activations.TryGetValue(envelope.Target, out var activation))
            {
                if (!_runtime.Types.TryGet(envelope.Target.Type, out var type))
                {
                    Reject(envelope, $"grain type '{envelope.Target.Type}' is not registered");
                    return;
                }

                if (_refuseNewActivations)
                {
                    Reject(envelope, "the grain runtime is stopping");
                    return;
                }

                activation = _activations.GetOrAdd(
                    envelope.Target,
                    static (id, state) => new ActivationData(id, state.Type, state.Runtime),
                    (Type: type, Runtime: _runtime));
            }

            // Fails only when the activation died after we found it; it has left the dictionary by then.
            if (activation.TryEnqueue(envelope))
            {
                return;
            }
        }
    }

    public bool HasActivation(GrainId id) => _activations.ContainsKey(id);

    public void Reject(Envelope envelope, string reason)
    {
        if (envelope.Kind != EnvelopeKind.Message)
        {
            return;
        }

        if (envelope.Response is { } response)
        {
            response.Fail(new InvalidOperationException($"Message {envelope.Body.GetType().Name} to grain {envelope.Target} was not delivered: {reason}."));
        }
        else
        {
            Log.MessageDropped(_runtime.Logger, envelope.Body.GetType().Name, envelope.Target, reason);
        }
    }

    /// <summary>Called under the dying activation's lock.</summary>
    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.Id, activation));

    /// <summary>Called under the dying activation's lock, before <paramref name="successor"/> is scheduled.</summary>
    public void Replace(ActivationData activation, ActivationData successor) =>
        _activations.TryUpdate(activation.Id, successor, activation);

    public void CollectIdleActivations()
    {
        if (Interlocked.Exchange(ref _collecting, 1) != 0)
        {
            return;
        }

        try
        {
            var now = Environment.TickCount64;
            foreach (var entry in _activations)
            {
                entry.Value.CollectIfIdle(now);
            }
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }

    /// <summary>Asks every activation to deactivate; adds a task per activation; false when there were none.</summary>
    public bool AddDeactivationTasks(List<Task> tasks, DeactivationReason reason)
    {
        foreach (var entry in _activations)
        {
            tasks.Add(entry.Value.RequestDeactivation(reason, waitable: true));
        }

        return tasks.Count > 0;
    }

    /// <summary>Asks the activations whose id satisfies <paramref name="filter"/> to deactivate; adds a task per activation.</summary>
    public void AddDeactivationTasks<TState>(List<Task> tasks, DeactivationReason reason, Func<GrainId, TState, bool> filter, TState state)
    {
        foreach (var entry in _activations)
        {
            if (filter(entry.Key, state))
            {
                tasks.Add(entry.Value.RequestDeactivation(reason, waitable: true));
            }
        }
    }
}
