using GrainMQ.Observability.Metrics;
using GrainMQ.Runtime.Diagnostics;

namespace GrainMQ.Observability.Dashboard;

/// <summary>
/// Calls and their latency between two snapshots of the call-duration histogram, for one grain type and one method
/// (or all methods of the type): count, average, and the 99th percentile interpolated inside its bucket.
/// </summary>
internal readonly record struct LatencyWindow(long Count, double AverageMs, double P99Ms)
{
    public static LatencyWindow Of(MetricsSnapshot? previous, MetricsSnapshot current, string name, string type, string? method)
    {
        var now = Aggregate(current, name, type, method);
        if (now.Count == 0)
        {
            return default;
        }

        var before = previous is null ? default : Aggregate(previous, name, type, method);
        var count = now.Count - before.Count;
        if (count <= 0)
        {
            return default;
        }

        var buckets = new long[now.Buckets!.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = now.Buckets[i] - (before.Buckets is { } b && i < b.Length ? b[i] : 0);
        }

        var average = (now.Sum - before.Sum) / count * 1000;
        return new LatencyWindow(count, average, Percentile(now.Bounds!, buckets, count, 0.99) * 1000);
    }

    private static double Percentile(double[] bounds, long[] cumulative, long count, double quantile)
    {
        var rank = quantile * count;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (cumulative[i] < rank)
            {
                continue;
            }

            var lower = i == 0 ? 0 : bounds[i - 1];
            if (double.IsPositiveInfinity(bounds[i]))
            {
                return lower;
            }

            var below = i == 0 ? 0 : cumulative[i - 1];
            var inBucket = cumulative[i] - below;
            return inBucket <= 0 ? bounds[i] : lower + ((bounds[i] - lower) * (rank - below) / inBucket);
        }

        return bounds.Length > 1 ? bounds[^2] : 0;
    }

    private static Totals Aggregate(MetricsSnapshot snapshot, string name, string type, string? method)
    {
        if (snapshot.Find(name) is not { } family)
        {
            return default;
        }

        var totals = default(Totals);
        foreach (var histogram in family.Histograms)
        {
            if (histogram.Label(RuntimeMeter.GrainTypeTag) != type || (method is not null && histogram.Label(RuntimeMeter.MethodTag) != method))
            {
                continue;
            }

            if (totals.Buckets is null)
            {
                totals = new Totals(0, 0, new double[histogram.Buckets.Count], new long[histogram.Buckets.Count]);
                for (var i = 0; i < histogram.Buckets.Count; i++)
                {
                    totals.Bounds![i] = histogram.Buckets[i].UpperBound;
                }
            }

            totals = totals with { Count = totals.Count + histogram.Count, Sum = totals.Sum + histogram.Sum };
            for (var i = 0; i < histogram.Buckets.Count && i < totals.Buckets!.Length; i++)
            {
                totals.Buckets[i] += histogram.Buckets[i].CumulativeCount;
            }
        }

        return totals;
    }

    private readonly record struct Totals(long Count, double Sum, double[]? Bounds, long[]? Buckets);
}
