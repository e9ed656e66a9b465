using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class SchedulingOptionsTests
{
    [Fact]
    public void Absent_keys_keep_the_documented_defaults()
    {
        var options = SchedulingOptions.FromConfiguration(new KeyValueConfiguration());

        Assert.True(options.CgroupAware);
        Assert.Null(options.Cpus);
        Assert.Equal(WeightPolicy.Cpuset, options.WeightPolicy);
        Assert.Equal(WeightConversion.Linear, options.WeightConversion);
        Assert.Equal(TimeSpan.FromSeconds(10), options.PollInterval);
        Assert.Equal(4, options.ThreadPoolMaxPerWorker);
        Assert.Equal(8, options.ThreadPoolMaxFloor);
    }

    [Fact]
    public void Scheduling_keys_are_read_from_configuration()
    {
        var options = SchedulingOptions.FromConfiguration(new KeyValueConfiguration(
            ("Scheduling:CgroupAware", "false"),
            ("Scheduling:Cpus", "1.5"),
            ("Scheduling:WeightPolicy", "request"),
            ("Scheduling:WeightConversion", "Quadratic"),
            ("Scheduling:PollInterval", "00:00:30"),
            ("Scheduling:ThreadPoolMaxPerWorker", "2"),
            ("Scheduling:ThreadPoolMaxFloor", "16")));

        Assert.False(options.CgroupAware);
        Assert.Equal(1.5, options.Cpus);
        Assert.Equal(WeightPolicy.Request, options.WeightPolicy);
        Assert.Equal(WeightConversion.Quadratic, options.WeightConversion);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PollInterval);
        Assert.Equal(2, options.ThreadPoolMaxPerWorker);
        Assert.Equal(16, options.ThreadPoolMaxFloor);
    }

    [Theory]
    [InlineData("Scheduling:Cpus", "one")]
    [InlineData("Scheduling:Cpus", "0")]
    [InlineData("Scheduling:Cpus", "-2")]
    [InlineData("Scheduling:CgroupAware", "maybe")]
    [InlineData("Scheduling:WeightPolicy", "Limit")]
    [InlineData("Scheduling:WeightPolicy", "7")]
    [InlineData("Scheduling:PollInterval", "00:00:00")]
    [InlineData("Scheduling:ThreadPoolMaxFloor", "0")]
    public void A_bad_scheduling_value_stops_start_up_with_its_key_named(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => SchedulingOptions.FromConfiguration(new KeyValueConfiguration((key, value))));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
