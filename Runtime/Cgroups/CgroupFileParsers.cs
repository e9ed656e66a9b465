using System.Globalization;

namespace GrainMQ.Runtime.Cgroups;

/// <summary>Parsers for the values in cgroup files. Each returns null for "no limit" and for text it cannot read.</summary>
internal static class CgroupFileParsers
{
    // v1 writes "unlimited" memory as the largest page-aligned value (0x7FFFFFFFFFFFF000 with 4 KiB pages; other page
    // sizes round differently), so anything above 2^60 bytes (1 EiB) is taken as no limit.
    private const long UnlimitedMemoryThreshold = 1L << 60;

    /// <summary>v2 cpu.max: "max 100000" (no quota) or "150000 100000".</summary>
    public static (long Quota, long Period)? CpuMax(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 2 || !TryPositive(fields[0], out var quota) || !TryPositive(fields[1], out var period))
        {
            return null;
        }

        return (quota, period);
    }

    /// <summary>v1 cpu.cfs_quota_us (-1 = no quota) with cpu.cfs_period_us.</summary>
    public static (long Quota, long Period)? CfsQuota(string quotaText, string? periodText)
    {
        if (periodText is null || !TryPositive(quotaText.Trim(), out var quota) || !TryPositive(periodText.Trim(), out var period))
        {
            return null;
        }

        return (quota, period);
    }

    /// <summary>A CPU list such as "0-3,8,10-11"; null when empty or malformed.</summary>
    public static int? CpuListCount(string text)
    {
        var count = 0;
        foreach (var range in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!TryNonNegative(range, out _))
                {
                    return null;
                }

                count++;
            }
            else if (TryNonNegative(range[..dash], out var first) && TryNonNegative(range[(dash + 1)..], out var last) && first <= last)
            {
                count += (int)(last - first + 1);
            }
            else
            {
                return null;
            }
        }

        return count == 0 ? null : count;
    }

    /// <summary>memory.max ("max" or bytes) or memory.limit_in_bytes (bytes; huge = unlimited).</summary>
    public static long? MemoryLimit(string text) =>
        TryPositive(text.Trim(), out var bytes) && bytes < UnlimitedMemoryThreshold ? bytes : null;

    /// <summary>cpu.shares or cpu.weight.</summary>
    public static long? Weight(string text) => TryPositive(text.Trim(), out var value) ? value : null;

    /// <summary>
    /// cpu.stat: v2 has nr_periods, nr_throttled, throttled_usec; v1 has nr_periods, nr_throttled, throttled_time (ns).
    /// Null when the periods are missing (v2 without the cpu controller enabled shows only usage).
    /// </summary>
    public static (long Periods, long Throttled, TimeSpan ThrottledTime)? CpuStat(string text)
    {
        long? periods = null;
        long? throttled = null;
        TimeSpan? time = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !TryNonNegative(line[(space + 1)..].Trim(), out var value))
            {
                continue;
            }

            switch (line[..space])
            {
                case "nr_periods":
                    periods = value;
                    break;
                case "nr_throttled":
                    throttled = value;
                    break;
                case "throttled_usec":
                    time = TimeSpan.FromMicroseconds(value);
                    break;
                case "throttled_time":
                    time = TimeSpan.FromTicks(value / (TimeSpan.NanosecondsPerTick));
                    break;
            }
        }

        return periods is null || throttled is null ? null : (periods.Value, throttled.Value, time ?? TimeSpan.Zero);
    }

    private static bool TryPositive(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static bool TryNonNegative(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
