using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Tests.Infrastructure;

/// <summary>A progress sink that completes <see cref="Reached"/> at the first tick whose totals satisfy a condition.</summary>
public sealed class SignallingProgress(Func<CounterSnapshot, bool> condition) : IProgressSink
{
    private readonly TaskCompletionSource<CounterSnapshot> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<CounterSnapshot> Reached => _reached.Task;

    public void Tick(long elapsedSeconds, CounterSnapshot counters)
    {
        if (condition(counters))
        {
            _reached.TrySetResult(counters);
        }
    }
}
