namespace GrainMQ.Runtime.Tests;

/// <summary>Holds itself back from idle collection, by a keep-alive timer or by KeepAliveFor.</summary>
public sealed class KeepAliveGrain : Grain
{
    public const string Type = "keepalive";

    private readonly Probe _probe;

    public KeepAliveGrain(Probe probe) => _probe = probe;

    public override ValueTask<object?> ReceiveAsync(object message)
    {
        switch (message)
        {
            case ArmKeepAliveTimer arm:
                RegisterTimer(
                    () =>
                    {
                        _probe.Signal("fired:" + Id.Key).TrySetResult();
                        return Task.CompletedTask;
                    },
                    TimeSpan.FromMilliseconds(arm.DueMilliseconds),
                    Timeout.InfiniteTimeSpan,
                    keepAlive: true);
                return default;
            case KeepAlive keepAlive:
                KeepAliveFor(TimeSpan.FromMilliseconds(keepAlive.Milliseconds));
                return default;
            default:
                throw new ArgumentException($"Unexpected message {message}.", nameof(message));
        }
    }
}
