using GrainMQ.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// What a silo's and a gateway process's life in the cluster share (<see cref="ClusterSiloService"/>,
/// <see cref="ClusterClientService"/>): the parts they are built from, the membership agent they start once the table
/// is ready, and the stop that disposes that agent and flushes the links (bounded by 5 s).
/// </summary>
internal abstract class ClusterMemberService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    protected readonly ClusterOptions _options;
    protected readonly ClusterIdentity _identity;
    protected readonly ClusterMessageCenter _center;
    protected readonly IMembershipTable _table;
    protected readonly ILogger _logger;

    protected ClusterMemberService(
        ClusterOptions options,
        ClusterIdentity identity,
        ClusterMessageCenter center,
        IMembershipTable table,
        GrainRuntime runtime,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(runtime); // resolved so that the runtime has attached the message center
        _options = options;
        _identity = identity;
        _center = center;
        _table = table;
        _logger = logger;
    }

    /// <summary>Lets the message center apply membership views, and makes the agent that reads the table for it.</summary>
    protected MembershipAgent StartApplying()
    {
        _center.StartApplying();
        return new MembershipAgent(_table, _options, _identity, _center, _logger);
    }

    /// <summary>Disposes <paramref name="agent"/> if it was started, then flushes the links to the other processes.</summary>
    protected async ValueTask DisposeAgentAndFlushAsync(MembershipAgent? agent)
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        await _center.FlushAndStopAsync(FlushTimeout);
    }
}
