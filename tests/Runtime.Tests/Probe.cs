using System.Collections.Concurrent;

namespace GrainMQ.Runtime.Tests;

/// <summary>
/// A test's window into its grains (a DI singleton per test host): named signals, and counters that detect two
/// activations of one grain, or two turns of one activation, running at the same time.
/// </summary>
public sealed class Probe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();
    private readonly ConcurrentDictionary<GrainId, int> _liveInstances = new();
    private int _maxLiveInstancesOfOneGrain;
    private int _running;
    private int _maxRunning;
    private int _floodProcessed;

    /// <summary>The most activations of one grain that were ever alive (between activate and deactivate) at once.</summary>
    public int MaxLiveInstancesOfOneGrain => Volatile.Read(ref _maxLiveInstancesOfOneGrain);

    /// <summary>The most turns (of any grains) that ever ran at once between <see cref="EnterWork"/> and <see cref="ExitWork"/>.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int FloodProcessed => Volatile.Read(ref _floodProcessed);

    /// <summary>How many flood messages were processed when the witness's turn ran.</summary>
    public int FloodProcessedAtWitness { get; set; }

    /// <summary>When set, <see cref="CounterGrain"/>'s OnDeactivateAsync signals "deactivating" and waits for this.</summary>
    public Task? DeactivationGate { get; set; }

    /// <summary>How many more activations of <see cref="FailingActivationGrain"/> fail.</summary>
    public int ActivationFailuresLeft { get; set; }

    public TaskCompletionSource Signal(string name) =>
        _signals.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void InstanceStarted(GrainId id)
    {
        var live = _liveInstances.AddOrUpdate(id, 1, static (_, count) => count + 1);
        RaiseMax(ref _maxLiveInstancesOfOneGrain, live);
    }

    public void InstanceEnded(GrainId id) => _liveInstances.AddOrUpdate(id, 0, static (_, count) => count - 1);

    public void EnterWork() => RaiseMax(ref _maxRunning, Interlocked.Increment(ref _running));

    public void ExitWork() => Interlocked.Decrement(ref _running);

    public int CountFlood() => Interlocked.Increment(ref _floodProcessed);

    public void ResetMaxRunning() => Volatile.Write(ref _maxRunning, 0);

    private static void RaiseMax(ref int max, int value)
    {
        int current;
        while ((current = Volatile.Read(ref max)) < value && Interlocked.CompareExchange(ref max, value, current) != current)
        {
        }
    }
}
