using System.Text.Json;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Values_below_2048_microseconds_are_counted_exactly()
    {
        var histogram = new LatencyHistogram();
        for (var value = 0; value < 2048; value++)
        {
            histogram.Record(value);
        }

        Assert.Equal(2048, histogram.TotalCount);
        Assert.Equal(1023, histogram.ValueAtPercentile(50));
        Assert.Equal(2047, histogram.ValueAtPercentile(100));
        Assert.Equal(0, histogram.Min);
        Assert.Equal(1023.5, histogram.Mean);
    }

    [Theory]
    [InlineData(2048L)]
    [InlineData(3001L)]
    [InlineData(123_457L)]
    [InlineData(98_765_432L)]
    [InlineData(LatencyHistogram.HighestTrackableValue)]
    public void Every_value_falls_in_a_bucket_whose_width_is_at_most_a_thousandth_of_it(long value)
    {
        var index = LatencyHistogram.BucketIndex(value);
        var lowest = LatencyHistogram.LowestEquivalentValue(index);
        var highest = LatencyHistogram.HighestEquivalentValue(index);

        Assert.InRange(value, lowest, highest);
        Assert.True(highest - lowest + 1 <= Math.Max(1, lowest / LatencyHistogram.SubBucketHalfCount), $"bucket [{lowest}, {highest}] too wide");
        Assert.InRange(index, 0, LatencyHistogram.BucketCount - 1);
    }

    [Fact]
    public void Buckets_are_contiguous_and_ordered()
    {
        for (var index = 1; index < LatencyHistogram.BucketCount; index++)
        {
            Assert.Equal(LatencyHistogram.HighestEquivalentValue(index - 1) + 1, LatencyHistogram.LowestEquivalentValue(index));
        }
    }

    [Fact]
    public void Percentiles_of_spread_out_values_are_within_the_bucket_precision_of_the_exact_ones()
    {
        var random = new Random(1234);
        var values = new long[100_000];
        var histogram = new LatencyHistogram();
        for (var index = 0; index < values.Length; index++)
        {
            // Log-uniform from 1 µs to about 10 s, like real latency tails.
            values[index] = (long)Math.Exp(random.NextDouble() * Math.Log(10_000_000));
            histogram.Record(values[index]);
        }

        Array.Sort(values);
        foreach (var percentile in new[] { 50.0, 90.0, 99.0, 99.9, 100.0 })
        {
            var exact = values[(int)LatencyHistogram.RankOf(percentile, values.Length) - 1];
            var reported = histogram.ValueAtPercentile(percentile);
            Assert.InRange(reported, exact, exact + (exact / LatencyHistogram.SubBucketHalfCount) + 1);
        }

        Assert.Equal(values[^1], histogram.Max);
        Assert.Equal(values[0], histogram.Min);
    }

    [Fact]
    public void Merging_two_histograms_equals_one_histogram_of_the_union()
    {
        var random = new Random(42);
        var left = new LatencyHistogram();
        var right = new LatencyHistogram();
        var union = new LatencyHistogram();
        for (var index = 0; index < 20_000; index++)
        {
            var value = (long)Math.Exp(random.NextDouble() * 16);
            (index % 3 == 0 ? left : right).Record(value);
            union.Record(value);
        }

        var merged = new LatencyHistogram();
        merged.Add(left);
        merged.Add(right.ToSnapshot());

        AssertSameHistogram(union.ToSnapshot(), merged.ToSnapshot());
        foreach (var percentile in new[] { 50.0, 90.0, 99.0, 99.9 })
        {
            Assert.Equal(union.ValueAtPercentile(percentile), merged.ValueAtPercentile(percentile));
        }
    }

    [Fact]
    public void A_snapshot_survives_a_json_round_trip()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new long[] { 5, 5, 900, 70_000, 3_000_000 })
        {
            histogram.Record(value);
        }

        var json = JsonSerializer.Serialize(histogram.ToSnapshot());
        var back = JsonSerializer.Deserialize<HistogramSnapshot>(json)!;

        AssertSameHistogram(histogram.ToSnapshot(), LatencyHistogram.FromSnapshot(back).ToSnapshot());
    }

    [Fact]
    public void Values_past_the_trackable_range_count_in_the_last_bucket_and_the_maximum_stays_exact()
    {
        var histogram = new LatencyHistogram();
        var huge = LatencyHistogram.HighestTrackableValue * 4;
        histogram.Record(huge);

        Assert.Equal(huge, histogram.Max);
        Assert.Equal(huge, histogram.ValueAtPercentile(100));
        Assert.Equal(LatencyHistogram.BucketCount - 1, histogram.ToSnapshot().Buckets.Single()[0]);
    }

    [Fact]
    public void A_negative_value_from_a_clock_step_counts_as_zero()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-40);

        Assert.Equal(1, histogram.TotalCount);
        Assert.Equal(0, histogram.Max);
    }

    [Fact]
    public void A_snapshot_of_another_layout_is_refused()
    {
        var foreign = HistogramSnapshot.Empty with { SubBucketBits = 7 };

        Assert.Throws<FormatException>(() => new LatencyHistogram().Add(foreign));
    }

    [Fact]
    public void A_snapshot_with_a_bucket_out_of_range_is_refused()
    {
        var broken = HistogramSnapshot.Empty with { TotalCount = 1, Buckets = [[LatencyHistogram.BucketCount, 1]] };

        Assert.Throws<FormatException>(() => new LatencyHistogram().Add(broken));
    }

    [Fact]
    public void Recording_from_many_threads_loses_no_count()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var value = 0; value < 50_000; value++)
            {
                histogram.Record(value);
            }
        });

        Assert.Equal(400_000, histogram.TotalCount);
        Assert.Equal(49_999, histogram.Max);
    }

    private static void AssertSameHistogram(HistogramSnapshot expected, HistogramSnapshot actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(expected.Sum, actual.Sum);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Buckets.Count, actual.Buckets.Count);
        for (var index = 0; index < expected.Buckets.Count; index++)
        {
            Assert.Equal(expected.Buckets[index], actual.Buckets[index]);
        }
    }
}
