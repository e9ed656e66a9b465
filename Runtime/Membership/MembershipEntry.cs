namespace GrainMQ.Runtime.Membership;

/// <summary>A vote that <c>Voter</c> suspects a silo, cast at <c>Time</c>.</summary>
public readonly record struct SuspectVote(SiloAddress Voter, DateTimeOffset Time);

/// <summary>One row of the membership table: one incarnation of a silo.</summary>
/// <param name="Address">Host, silo-to-silo port and generation: the row's key within a deployment.</param>
/// <param name="SiloName">The unique process name (observer ids carry it).</param>
/// <param name="HostName">The machine's name, for operators.</param>
/// <param name="Status">Where the silo is in its life.</param>
/// <param name="GatewayPort">The MQTT TCP port of the gateway it co-hosts; 0 = none.</param>
/// <param name="SuspectVotes">Recent votes of peers that could not probe it.</param>
/// <param name="StartTime">When the incarnation started.</param>
/// <param name="IAmAliveTime">When it last said it was alive (written periodically, without a version change).</param>
public sealed record MembershipEntry(
    SiloAddress Address,
    string SiloName,
    string HostName,
    SiloStatus Status,
    int GatewayPort,
    IReadOnlyList<SuspectVote> SuspectVotes,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime);

/// <summary>The membership table as read in one statement: its version and every row of the deployment.</summary>
public sealed record MembershipSnapshot(long Version, IReadOnlyList<MembershipEntry> Entries)
{
    /// <summary>The row of <paramref name="address"/>, or null.</summary>
    public MembershipEntry? Find(SiloAddress address)
    {
        foreach (var entry in Entries)
        {
            if (entry.Address == address)
            {
                return entry;
            }
        }

        return null;
    }
}
