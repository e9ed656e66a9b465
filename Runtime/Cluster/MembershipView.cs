using GrainMQ.Runtime.Membership;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// What one process currently believes about the cluster: a membership snapshot, the placement ring of its active
/// silos, and lookups by address and by process name. Immutable; a new one replaces it when the table changes.
/// </summary>
internal sealed class MembershipView
{
    private readonly Dictionary<SiloAddress, MembershipEntry> _byAddress = [];
    private readonly Dictionary<string, MembershipEntry> _byName = new(StringComparer.Ordinal);

    public MembershipView(MembershipSnapshot snapshot, int virtualNodes)
    {
        Snapshot = snapshot;
        var active = new List<SiloAddress>();
        foreach (var entry in snapshot.Entries)
        {
            _byAddress[entry.Address] = entry;
            if (entry.Status != SiloStatus.Dead)
            {
                _byName[entry.SiloName] = entry;
            }

            if (entry.Status == SiloStatus.Active)
            {
                active.Add(entry.Address);
            }
        }

        Ring = ConsistentHashRing.Build(active, virtualNodes);
    }

    public static MembershipView Empty { get; } = new(new MembershipSnapshot(-1, []), 1);

    public long Version => Snapshot.Version;

    public MembershipSnapshot Snapshot { get; }

    public ConsistentHashRing Ring { get; }

    public MembershipEntry? Find(SiloAddress address) => _byAddress.GetValueOrDefault(address);

    /// <summary>The live (not dead) silo with process name <paramref name="name"/>.</summary>
    public MembershipEntry? FindLive(string name) => _byName.GetValueOrDefault(name);

    public bool IsDead(SiloAddress address) => _byAddress.TryGetValue(address, out var entry) && entry.Status == SiloStatus.Dead;

    /// <summary>Silos that take part in the cluster (joining, active or leaving): the targets of broadcasts.</summary>
    public List<SiloAddress> LiveSilos()
    {
        var live = new List<SiloAddress>();
        foreach (var entry in Snapshot.Entries)
        {
            if (entry.Status != SiloStatus.Dead)
            {
                live.Add(entry.Address);
            }
        }

        return live;
    }
}
