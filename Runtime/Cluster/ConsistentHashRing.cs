using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Reminders;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Placement: which silo owns a grain. Every active silo puts <c>VirtualNodesPerSilo</c> points on a 32-bit ring
/// (hashes of its address and the point's number); a grain belongs to the first point at or after the hash of its
/// id. Every process builds the same ring from the same membership view, so all agree on the owner without a
/// directory, and a join or a leave moves only the grains between the changed points. The hash is our own stable
/// function (string.GetHashCode differs per process).
/// </summary>
internal sealed class ConsistentHashRing
{
    private readonly uint[] _points;
    private readonly SiloAddress[] _owners;

    private ConsistentHashRing(uint[] points, SiloAddress[] owners, IReadOnlyList<SiloAddress> members)
    {
        _points = points;
        _owners = owners;
        Members = members;
    }

    public static ConsistentHashRing Empty { get; } = new([], [], []);

    /// <summary>The silos on the ring, in address order.</summary>
    public IReadOnlyList<SiloAddress> Members { get; }

    public bool IsEmpty => _points.Length == 0;

    public static ConsistentHashRing Build(IEnumerable<SiloAddress> silos, int virtualNodes)
    {
        var members = new List<SiloAddress>(silos);
        members.Sort(static (a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        var entries = new List<(uint Point, SiloAddress Owner)>(members.Count * virtualNodes);
        foreach (var silo in members)
        {
            var name = silo.ToString();
            for (var i = 0; i < virtualNodes; i++)
            {
                entries.Add((Hash(name, (uint)i), silo));
            }
        }

        // Ties (practically never) are broken by address so that every process sorts the same way.
        entries.Sort(static (a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : string.CompareOrdinal(a.Owner.ToString(), b.Owner.ToString()));
        var points = new uint[entries.Count];
        var owners = new SiloAddress[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            points[i] = entries[i].Point;
            owners[i] = entries[i].Owner;
        }

        return new ConsistentHashRing(points, owners, members);
    }

    /// <summary>The owner of <paramref name="id"/>; false when the ring is empty.</summary>
    public bool TryGetOwner(GrainId id, out SiloAddress owner)
    {
        if (_points.Length == 0)
        {
            owner = default;
            return false;
        }

        var index = Array.BinarySearch(_points, Hash(id));
        if (index < 0)
        {
            index = ~index;
        }

        owner = _owners[index == _points.Length ? 0 : index];
        return true;
    }

    /// <summary>
    /// The hashes <paramref name="silo"/> owns: point i owns the hashes after point i - 1 up to itself, the first point
    /// also those after the last (the ring wraps). Adjacent ranges are merged; empty when the silo is not on the ring.
    /// </summary>
    public List<HashRange> OwnedRanges(SiloAddress silo)
    {
        var ranges = new List<HashRange>();
        for (var i = 0; i < _points.Length; i++)
        {
            if (_owners[i] != silo || (i > 0 && _points[i - 1] == _points[i]))
            {
                continue;
            }

            var first = i == 0 ? 0u : _points[i - 1] + 1;
            if (ranges.Count > 0 && ranges[^1].Last + 1 == first)
            {
                ranges[^1] = ranges[^1] with { Last = _points[i] };
            }
            else
            {
                ranges.Add(new HashRange(first, _points[i]));
            }
        }

        if (_points.Length > 0 && _owners[0] == silo && _points[^1] != uint.MaxValue)
        {
            ranges.Add(new HashRange(_points[^1] + 1, uint.MaxValue));
        }

        return ranges;
    }

    public bool Contains(SiloAddress silo)
    {
        foreach (var member in Members)
        {
            if (member == silo)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ring without <paramref name="silo"/> (who would own its grains).</summary>
    public ConsistentHashRing Without(SiloAddress silo, int virtualNodes)
    {
        var others = new List<SiloAddress>(Members.Count);
        foreach (var member in Members)
        {
            if (member != silo)
            {
                others.Add(member);
            }
        }

        return Build(others, virtualNodes);
    }

    internal static uint Hash(GrainId id)
    {
        var hash = Fnv(Fnv(2166136261u, id.Type), "/");
        return Mix(Fnv(hash, id.Key));
    }

    private static uint Hash(string silo, uint point) => Mix(Fnv(2166136261u, silo) ^ (point * 0x9E3779B9u));

    private static uint Fnv(uint hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    // MurmurHash3's finaliser: spreads FNV's weak low bits over the whole word.
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }
}
