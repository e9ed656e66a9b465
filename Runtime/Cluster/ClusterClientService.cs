using GrainMQ.Runtime.Membership;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// A gateway process's life in the cluster: it reads the membership table (it is not in it), keeps a link to every
/// live silo (so that any silo can reach the client sockets it holds) and routes grain calls by the same ring as the
/// silos. On stop (after the MQTT connections were closed) it flushes its links.
/// </summary>
internal sealed class ClusterClientService : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly ClusterOptions _options;
    private readonly ClusterIdentity _identity;
    private readonly ClusterMessageCenter _center;
    private readonly IMembershipTable _table;
    private readonly ILogger _logger;
    private MembershipAgent? _agent;

    public ClusterClientService(
        ClusterOptions options,
        ClusterIdentity identity,
        ClusterMessageCenter center,
        IMembershipTable table,
        GrainRuntime runtime,
        ILogger<ClusterClientService> logger)
    {
        ArgumentNullException.ThrowIfNull(runtime); // resolved so that the runtime has attached the message center
        _options = options;
        _identity = identity;
        _center = center;
        _table = table;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken);
        _center.StartApplying();
        _agent = new MembershipAgent(_table, _options, _identity, _center, _logger);
        await _agent.RefreshAsync(cancellationToken);
        _agent.StartLoops();
        ClusterLog.Started(_logger, _options.DeploymentId, _identity.Role, _identity.Name, "(client)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
            _agent = null;
        }

        await _center.FlushAndStopAsync(FlushTimeout);
    }
}
