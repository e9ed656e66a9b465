using GrainMQ.Runtime.Membership;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// A gateway process's life in the cluster: it reads the membership table (it is not in it), keeps a link to every
/// live silo (so that any silo can reach the client sockets it holds) and routes grain calls by the same ring as the
/// silos. On stop (after the MQTT connections were closed) it flushes its links.
/// </summary>
internal sealed class ClusterClientService : ClusterMemberService, IHostedService, IAsyncDisposable
{
    private MembershipAgent? _agent;

    public ClusterClientService(
        ClusterOptions options,
        ClusterIdentity identity,
        ClusterMessageCenter center,
        IMembershipTable table,
        GrainRuntime runtime,
        ILogger<ClusterClientService> logger)
        : base(options, identity, center, table, runtime, logger)
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken);
        _agent = StartApplying();
        await _agent.RefreshAsync(cancellationToken);
        _agent.StartLoops();
        ClusterLog.Started(_logger, _options.DeploymentId, _identity.Role, _identity.Name, "(client)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        await DisposeAgentAndFlushAsync(_agent);
        _agent = null;
    }
}
