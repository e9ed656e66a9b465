using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Reporting;

/// <summary>Where a run's once-a-second totals go: the console as text, or the parent process as JSON lines.</summary>
public interface IProgressSink
{
    /// <param name="elapsedSeconds">Whole seconds since the run started.</param>
    /// <param name="counters">Totals so far.</param>
    void Tick(long elapsedSeconds, CounterSnapshot counters);
}
