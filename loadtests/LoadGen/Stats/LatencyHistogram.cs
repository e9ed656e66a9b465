namespace GrainMQ.LoadGen.Stats;

/// <summary>
/// An HDR-style log-linear histogram of non-negative integer values (microseconds here). Values below
/// 2 × <see cref="SubBucketHalfCount"/> are counted exactly; above that every power-of-two range is cut into
/// <see cref="SubBucketHalfCount"/> equal buckets, so a value is known to within 1/<see cref="SubBucketHalfCount"/>
/// of itself (0.1 %). Values past <see cref="HighestTrackableValue"/> are counted in the last bucket; the exact
/// maximum and minimum are kept beside the buckets.
/// </summary>
/// <remarks>
/// Recording is thread-safe and lock-free (one interlocked add per value), so every connection's read loop records
/// into one shared instance. Reading (<see cref="ValueAtPercentile"/>, <see cref="ToSnapshot"/>) while others
/// record sees a consistent-enough picture for progress output; the final summary is taken after recording stops.
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>log2 of <see cref="SubBucketHalfCount"/>: 10 gives three significant decimal digits.</summary>
    public const int SubBucketBits = 10;

    /// <summary>Linear buckets per power-of-two range above the exact range.</summary>
    public const int SubBucketHalfCount = 1 << SubBucketBits;

    /// <summary>Largest value told apart from larger ones: 2^36 µs, about 19 hours.</summary>
    public const long HighestTrackableValue = (1L << HighestValueBits) - 1;

    private const int HighestValueBits = 36;

    /// <summary>Number of buckets: the exact range [0, 2048) plus 1024 per power of two up to 2^36.</summary>
    public const int BucketCount = (HighestValueBits - SubBucketBits + 1) * SubBucketHalfCount;

    private readonly long[] _counts = new long[BucketCount];
    private long _totalCount;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    public long TotalCount => Volatile.Read(ref _totalCount);

    /// <summary>The largest value recorded, exactly (0 when empty).</summary>
    public long Max => Volatile.Read(ref _max);

    /// <summary>The smallest value recorded, exactly (0 when empty).</summary>
    public long Min => TotalCount == 0 ? 0 : Volatile.Read(ref _min);

    public double Mean => TotalCount == 0 ? 0 : (double)Volatile.Read(ref _sum) / TotalCount;

    /// <summary>Counts one value; negative values (a clock step between two hosts) count as 0.</summary>
    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        Interlocked.Increment(ref _counts[BucketIndex(value)]);
        Interlocked.Increment(ref _totalCount);
        Interlocked.Add(ref _sum, value);
        UpdateMax(value);
        UpdateMin(value);
    }

    /// <summary>Adds every count of <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Add(other.ToSnapshot());
    }

    /// <summary>Adds a serialised histogram (a worker's) to this one.</summary>
    public void Add(HistogramSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.SubBucketBits != SubBucketBits)
        {
            throw new FormatException($"histogram layout mismatch: sub-bucket bits {snapshot.SubBucketBits}, expected {SubBucketBits}");
        }

        foreach (var bucket in snapshot.Buckets)
        {
            if (bucket.Length != 2 || bucket[0] < 0 || bucket[0] >= BucketCount || bucket[1] < 0)
            {
                throw new FormatException("histogram bucket must be [index, count] with index in range and count >= 0");
            }

            Interlocked.Add(ref _counts[bucket[0]], bucket[1]);
            Interlocked.Add(ref _totalCount, bucket[1]);
        }

        Interlocked.Add(ref _sum, snapshot.Sum);
        if (snapshot.TotalCount > 0)
        {
            UpdateMax(snapshot.Max);
            UpdateMin(snapshot.Min);
        }
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/> % of the recorded values lie, reported as the
    /// highest value of its bucket (never above the exact maximum). 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        var total = TotalCount;
        if (total == 0)
        {
            return 0;
        }

        var rank = RankOf(percentile, total);
        if (rank >= total)
        {
            return Max;
        }

        long seen = 0;
        for (var index = 0; index < _counts.Length - 1; index++)
        {
            seen += Volatile.Read(ref _counts[index]);
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalentValue(index), Max);
            }
        }

        // Only the last bucket is left, and it also holds every value past the trackable range.
        return Max;
    }

    /// <summary>
    /// The 1-based rank of the value at <paramref name="percentile"/> among <paramref name="total"/> sorted values:
    /// ceil(p × n / 100), with a tolerance so that 99.9 % of 1000 is rank 999, not 1000 by a rounding error.
    /// </summary>
    public static long RankOf(double percentile, long total)
    {
        var exact = Math.Clamp(percentile, 0, 100) * total / 100;
        return Math.Clamp((long)Math.Ceiling(exact - 1e-9), 1, total);
    }

    /// <summary>A serialisable copy: only the buckets that hold a count, as [index, count] pairs.</summary>
    public HistogramSnapshot ToSnapshot()
    {
        var buckets = new List<long[]>();
        long total = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            var count = Volatile.Read(ref _counts[index]);
            if (count != 0)
            {
                buckets.Add([index, count]);
                total += count;
            }
        }

        return new HistogramSnapshot(SubBucketBits, total, Volatile.Read(ref _sum), Min, Max, buckets);
    }

    public static LatencyHistogram FromSnapshot(HistogramSnapshot snapshot)
    {
        var histogram = new LatencyHistogram();
        histogram.Add(snapshot);
        return histogram;
    }

    /// <summary>The bucket a value falls in.</summary>
    public static int BucketIndex(long value)
    {
        var bounded = Math.Min(value, HighestTrackableValue);
        var magnitude = 63 - (int)long.LeadingZeroCount(bounded | ((SubBucketHalfCount * 2L) - 1));
        var shift = magnitude - SubBucketBits;
        return (shift << SubBucketBits) + (int)(bounded >> shift);
    }

    /// <summary>The smallest value that falls in bucket <paramref name="index"/>.</summary>
    public static long LowestEquivalentValue(int index)
    {
        var shift = Math.Max(0, (index >> SubBucketBits) - 1);
        return (long)(index - (shift << SubBucketBits)) << shift;
    }

    /// <summary>The largest value that falls in bucket <paramref name="index"/>.</summary>
    public static long HighestEquivalentValue(int index)
    {
        var shift = Math.Max(0, (index >> SubBucketBits) - 1);
        return LowestEquivalentValue(index) + (1L << shift) - 1;
    }

    private void UpdateMax(long value)
    {
        var current = Volatile.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMin(long value)
    {
        var current = Volatile.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
