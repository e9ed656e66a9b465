using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Workers;

/// <summary>A worker's progress: each tick as a JSON line for the parent to add up.</summary>
public sealed class WorkerProgress : IProgressSink
{
    private readonly TextWriter _output;
    private readonly int _workerIndex;

    public WorkerProgress(TextWriter output, int workerIndex)
    {
        _output = output;
        _workerIndex = workerIndex;
    }

    public void Tick(long elapsedSeconds, CounterSnapshot counters) =>
        _output.WriteLine(WorkerMessage.Tick(_workerIndex, elapsedSeconds, counters).ToJsonLine());
}
