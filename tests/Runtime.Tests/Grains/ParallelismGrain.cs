using System.Diagnostics;

namespace GrainMQ.Runtime.Tests;

/// <summary>
/// Shows whether turns of different grains run at the same time. Unlike real grains it blocks its worker on purpose:
/// <see cref="Meet"/> waits for its partner's turn to start, which only two workers can both reach.
/// </summary>
public sealed class ParallelismGrain : Grain
{
    public const string Type = "parallel";

    private readonly Probe _probe;

    public ParallelismGrain(Probe probe) => _probe = probe;

    public override ValueTask<object?> ReceiveAsync(object message)
    {
        switch (message)
        {
            case Meet meet:
                _probe.Signal("arrived:" + Id.Key).TrySetResult();
                return new ValueTask<object?>(_probe.Signal("arrived:" + meet.Partner).Task.Wait(TestHost.Patience));
            case Work work:
                _probe.EnterWork();
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started).TotalMicroseconds < work.Microseconds)
                {
                    Thread.SpinWait(10);
                }

                _probe.ExitWork();
                return default;
            default:
                throw new ArgumentException($"Unexpected message {message}.", nameof(message));
        }
    }
}
