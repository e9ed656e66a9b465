namespace GrainMQ.LoadGen.Timing;

/// <summary>
/// The part of a run one worker process does: a contiguous range of client sequence numbers (so <c>%i</c> stays
/// unique across workers) and its share of the message limit. Shares differ by at most one.
/// </summary>
/// <param name="FirstSequence">Sequence number of the worker's first client.</param>
/// <param name="ClientCount">How many clients the worker runs.</param>
public readonly record struct WorkerSlice(long FirstSequence, int ClientCount)
{
    /// <summary>Worker <paramref name="workerIndex"/>'s clients out of <paramref name="totalClients"/> numbered from <paramref name="startNumber"/>.</summary>
    public static WorkerSlice For(int totalClients, long startNumber, int workerIndex, int workerCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalClients);
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(workerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(workerIndex, workerCount);
        var share = Share(totalClients, workerIndex, workerCount);
        var before = ((long)totalClients / workerCount * workerIndex) + Math.Min(workerIndex, totalClients % workerCount);
        return new WorkerSlice(startNumber + before, (int)share);
    }

    /// <summary>Worker <paramref name="workerIndex"/>'s share of <paramref name="total"/> (clients, or messages of <c>-L</c>).</summary>
    public static long Share(long total, int workerIndex, int workerCount) =>
        (total / workerCount) + (workerIndex < total % workerCount ? 1 : 0);
}
