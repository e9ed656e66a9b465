using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;

namespace GrainMQ.Cluster.Tests;

public sealed class ConsistentHashRingRangeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_grain_hash_lies_in_the_owned_ranges_of_its_owner_and_of_no_other_silo(int siloCount)
    {
        var silos = Enumerable.Range(1, siloCount).Select(i => new SiloAddress($"10.0.0.{i}", 11111, i)).ToArray();
        var ring = ConsistentHashRing.Build(silos, 64);
        var ranges = silos.ToDictionary(s => s, s => ring.OwnedRanges(s));

        for (var i = 0; i < 5_000; i++)
        {
            var grain = new GrainId("session", $"client-{i}");
            var hash = PlacementHash.Of(grain);
            Assert.True(ring.TryGetOwner(grain, out var owner));
            foreach (var silo in silos)
            {
                Assert.Equal(silo == owner, ranges[silo].Exists(r => r.Contains(hash)));
            }
        }
    }

    [Fact]
    public void The_owned_ranges_of_all_silos_cover_the_whole_ring_without_overlap()
    {
        var silos = Enumerable.Range(1, 3).Select(i => new SiloAddress($"10.0.0.{i}", 11111, i)).ToArray();
        var ring = ConsistentHashRing.Build(silos, 64);

        var all = silos.SelectMany(s => ring.OwnedRanges(s)).OrderBy(r => r.First).ToList();

        Assert.Equal(0u, all[0].First);
        Assert.Equal(uint.MaxValue, all[^1].Last);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.Equal(all[i - 1].Last + 1, all[i].First);
        }

        Assert.Empty(ConsistentHashRing.Empty.OwnedRanges(silos[0]));
        Assert.Empty(ring.OwnedRanges(new SiloAddress("10.0.0.9", 11111, 9)));
    }
}
