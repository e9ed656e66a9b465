using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class WeightConversionTests
{
    // The container runtimes' forward formulas, written out here to check the inverse against.
    private static long LinearWeight(long shares) => 1 + ((shares - 2) * 9999 / 262142);

    private static long QuadraticWeight(long shares)
    {
        var l = Math.Log2(shares);
        return (long)Math.Ceiling(Math.Pow(10, ((l * l) + (125 * l)) / 612.0 - (7.0 / 34.0)));
    }

    [Theory]
    [InlineData(39, 1024)]
    [InlineData(79, 2073)]
    [InlineData(98, 2571)]
    [InlineData(1, 28)]
    [InlineData(10000, 262144)]
    public void Linear_weight_maps_back_to_the_largest_shares_that_produce_it(long weight, long shares)
    {
        Assert.Equal(shares, CpuWeightConversion.WeightToShares(weight, WeightConversion.Linear));
    }

    [Theory]
    [InlineData(100, 1024)]
    [InlineData(170, 2000)]
    [InlineData(1, 2)]
    [InlineData(10000, 262144)]
    public void Quadratic_weight_maps_back_to_the_largest_shares_that_produce_it(long weight, long shares)
    {
        Assert.Equal(shares, CpuWeightConversion.WeightToShares(weight, WeightConversion.Quadratic));
    }

    [Theory]
    [InlineData(WeightConversion.Linear)]
    [InlineData(WeightConversion.Quadratic)]
    public void Every_weight_round_trips_and_no_request_is_read_below_what_was_asked(WeightConversion conversion)
    {
        Func<long, long> forward = conversion == WeightConversion.Linear ? LinearWeight : QuadraticWeight;
        for (long weight = 1; weight <= 10_000; weight++)
        {
            Assert.Equal(weight, forward(CpuWeightConversion.WeightToShares(weight, conversion)));
        }

        for (long shares = 2; shares <= 262_144; shares += 7)
        {
            Assert.True(CpuWeightConversion.WeightToShares(forward(shares), conversion) >= shares, $"shares {shares}");
        }
    }

    [Fact]
    public void Whole_cpu_requests_stay_whole_after_the_round_trip()
    {
        for (long cpus = 1; cpus <= 256; cpus++)
        {
            var shares = cpus * 1024;
            Assert.Equal(cpus, CpuWeightConversion.WeightToShares(LinearWeight(shares), WeightConversion.Linear) / 1024);
            Assert.Equal(cpus, CpuWeightConversion.WeightToShares(QuadraticWeight(shares), WeightConversion.Quadratic) / 1024);
        }
    }
}
