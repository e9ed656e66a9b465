namespace GrainMQ.Runtime.Tests;

/// <summary>Its turn awaits a probe signal (without blocking a worker); answers pings.</summary>
public sealed class GateGrain : Grain
{
    public const string Type = "gate";

    private readonly Probe _probe;

    public GateGrain(Probe probe) => _probe = probe;

    public override ValueTask<object?> ReceiveAsync(object message) => message switch
    {
        WaitForGate wait => WaitAsync(wait.Gate),
        Ping => new ValueTask<object?>("pong"),
        ThreadAfterAwait => ThreadAfterAwaitAsync(),
        PingOther other => PingOtherAsync(other.Key),
        _ => throw new ArgumentException($"Unexpected message {message}.", nameof(message)),
    };

    private static async ValueTask<object?> ThreadAfterAwaitAsync()
    {
        await Task.Delay(1);
        return Thread.CurrentThread.Name;
    }

    private async ValueTask<object?> PingOtherAsync(string key) =>
        "relayed " + await GrainFactory.GetGrain(Type, key).AskAsync<string>(new Ping());

    private async ValueTask<object?> WaitAsync(string gate)
    {
        _probe.Signal(gate + ":entered").TrySetResult();
        await _probe.Signal(gate).Task;
        return "opened " + gate;
    }
}
