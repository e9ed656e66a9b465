namespace GrainMQ.Runtime.Tests;

public sealed class CounterState
{
    public int Count { get; set; }
}

/// <summary>A persistent counter; reports its lifetime to the probe and can be held inside OnDeactivateAsync.</summary>
public sealed class CounterGrain : Grain<CounterState>
{
    public const string Type = "counter";

    private readonly Probe _probe;

    public CounterGrain(Probe probe) => _probe = probe;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _probe.InstanceStarted(Id);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_probe.DeactivationGate is { } gate)
        {
            _probe.Signal("deactivating").TrySetResult();
            await gate;
        }

        _probe.InstanceEnded(Id);
    }

    public override ValueTask<object?> ReceiveAsync(object message) => message switch
    {
        Increment => Add(),
        GetCount => new ValueTask<object?>(State.Count),
        Fail { AfterAwait: false } fail => throw new InvalidOperationException(fail.Reason),
        Fail fail => FailAfterAwaitAsync(fail.Reason),
        DeactivateNow => Deactivate(),
        WriteNow => WriteAsync(),
        _ => throw new ArgumentException($"Unexpected message {message}.", nameof(message)),
    };

    private static async ValueTask<object?> FailAfterAwaitAsync(string reason)
    {
        await Task.Yield();
        throw new InvalidOperationException(reason);
    }

    private ValueTask<object?> Add()
    {
        State.Count++;
        MarkStateDirty();
        return default;
    }

    private async ValueTask<object?> WriteAsync()
    {
        await WriteStateAsync();
        return State.Count;
    }

    private ValueTask<object?> Deactivate()
    {
        DeactivateOnIdle();
        return default;
    }
}
