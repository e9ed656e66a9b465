namespace GrainMQ.LoadGen.Stats;

/// <summary>
/// A <see cref="LatencyHistogram"/> as data: what a worker process sends its parent at the end of a run.
/// <paramref name="Buckets"/> holds only the non-empty buckets, each as <c>[index, count]</c>.
/// </summary>
public sealed record HistogramSnapshot(int SubBucketBits, long TotalCount, long Sum, long Min, long Max, IReadOnlyList<long[]> Buckets)
{
    public static HistogramSnapshot Empty { get; } = new(LatencyHistogram.SubBucketBits, 0, 0, 0, 0, []);
}
