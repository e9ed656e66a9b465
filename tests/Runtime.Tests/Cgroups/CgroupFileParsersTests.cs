using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class CgroupFileParsersTests
{
    [Theory]
    [InlineData("0-3,8,10-11\n", 7)]
    [InlineData("5", 1)]
    [InlineData("0-63", 64)]
    [InlineData("", null)]
    [InlineData("\n", null)]
    [InlineData("3-1", null)]
    [InlineData("0-", null)]
    [InlineData("a", null)]
    public void Cpu_lists_are_counted_and_garbage_is_absent(string text, int? count)
    {
        Assert.Equal(count, CgroupFileParsers.CpuListCount(text));
    }

    [Theory]
    [InlineData("150000 100000\n", 150_000L, 100_000L)]
    [InlineData("max 100000\n", null, null)]
    [InlineData("max\n", null, null)]
    [InlineData("0 100000", null, null)]
    public void Cpu_max_is_a_quota_and_period_or_nothing(string text, long? quota, long? period)
    {
        var parsed = CgroupFileParsers.CpuMax(text);

        Assert.Equal(quota, parsed?.Quota);
        Assert.Equal(period, parsed?.Period);
    }

    [Theory]
    [InlineData("-1\n", "100000\n", null)]
    [InlineData("50000\n", "100000\n", 50_000L)]
    [InlineData("50000\n", null, null)]
    public void Cfs_quota_of_minus_one_means_no_quota(string quota, string? period, long? expected)
    {
        Assert.Equal(expected, CgroupFileParsers.CfsQuota(quota, period)?.Quota);
    }

    [Theory]
    [InlineData("max\n", null)]
    [InlineData("9223372036854771712\n", null)]
    [InlineData("1073741824\n", 1_073_741_824L)]
    public void Memory_limits_of_max_or_the_v1_unlimited_value_are_absent(string text, long? bytes)
    {
        Assert.Equal(bytes, CgroupFileParsers.MemoryLimit(text));
    }

    [Fact]
    public void Cpu_stat_without_period_counters_has_no_throttling()
    {
        Assert.Null(CgroupFileParsers.CpuStat("usage_usec 10\nuser_usec 5\nsystem_usec 5\n"));
    }

    [Fact]
    public void V1_throttled_time_in_nanoseconds_and_v2_throttled_usec_agree()
    {
        var v1 = CgroupFileParsers.CpuStat("nr_periods 4\nnr_throttled 2\nthrottled_time 3000000\n");
        var v2 = CgroupFileParsers.CpuStat("nr_periods 4\nnr_throttled 2\nthrottled_usec 3000\n");

        Assert.Equal((4L, 2L, TimeSpan.FromMilliseconds(3)), v1);
        Assert.Equal(v1, v2);
    }
}
