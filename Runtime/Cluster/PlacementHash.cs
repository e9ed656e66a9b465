namespace GrainMQ.Runtime.Cluster;

/// <summary>The position of a grain on the placement ring, for stores that must find the grains a silo owns (reminders).</summary>
public static class PlacementHash
{
    /// <summary>The ring hash of <paramref name="id"/>: the same in every process and every version of the ring.</summary>
    public static uint Of(GrainId id) => ConsistentHashRing.Hash(id);
}
