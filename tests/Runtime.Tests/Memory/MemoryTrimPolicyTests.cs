using GrainMQ.Runtime.Memory;

namespace GrainMQ.Runtime.Tests.Memory;

public sealed class MemoryTrimPolicyTests
{
    private static readonly MemoryTrimOptions Options = new()
    {
        TrimAfterDeactivations = 1_000,
        TrimMaxAllocationRate = 1_000_000,
        MinTrimInterval = TimeSpan.FromSeconds(60),
    };

    private static readonly MemorySample LastTrim = new(Deactivations: 500, AllocatedBytes: 0, Timestamp: TimeSpan.FromSeconds(100));

    private static MemorySample At(double seconds, long deactivations, long allocated) =>
        new(deactivations, allocated, TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Trims_once_enough_activations_were_deactivated_and_the_process_allocates_slowly()
    {
        Assert.True(MemoryTrimPolicy.ShouldTrim(Options, LastTrim, At(200, 1_400, 10_000_000), At(202, 1_500, 11_000_000)));
    }

    [Fact]
    public void Does_not_trim_before_the_deactivation_threshold_is_reached_since_the_last_trim()
    {
        Assert.False(MemoryTrimPolicy.ShouldTrim(Options, LastTrim, At(200, 1_400, 0), At(202, 1_499, 0)));
    }

    [Fact]
    public void Does_not_trim_a_process_that_allocates_faster_than_the_limit()
    {
        Assert.False(MemoryTrimPolicy.ShouldTrim(Options, LastTrim, At(200, 1_400, 0), At(202, 1_600, 2_000_002)));
    }

    [Fact]
    public void Does_not_trim_again_within_the_minimum_interval()
    {
        Assert.False(MemoryTrimPolicy.ShouldTrim(Options, LastTrim, At(150, 1_400, 0), At(159, 5_000, 0)));
    }

    [Fact]
    public void Does_not_trim_when_switched_off()
    {
        var off = new MemoryTrimOptions { TrimAfterHibernation = false };
        Assert.False(MemoryTrimPolicy.ShouldTrim(off, LastTrim, At(200, 1_400, 0), At(202, 100_000, 0)));
    }
}
