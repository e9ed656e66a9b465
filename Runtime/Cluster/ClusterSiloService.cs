using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// A silo's life in the cluster. Start: schema and version row, silo port bound, row inserted as joining (from then
/// on broadcasts reach it), startup tasks (routing indexes loaded), active (it owns its share of the ring). Stop
/// (before the grain runtime stops, because it is registered after it): shutting down — the ring no longer names it,
/// so messages are forwarded to the new owners while its activations are deactivated with their state written and the
/// peers hear "view applied" — then dead in the table, links flushed, listener closed.
/// </summary>
internal sealed class ClusterSiloService : ClusterMemberService, IHostedService, IAsyncDisposable
{
    private readonly IEnumerable<IClusterStartupTask> _startupTasks;
    private ClusterListener? _listener;
    private MembershipAgent? _agent;

    public ClusterSiloService(
        ClusterOptions options,
        ClusterIdentity identity,
        ClusterMessageCenter center,
        IMembershipTable table,
        GrainRuntime runtime,
        IEnumerable<IClusterStartupTask> startupTasks,
        ILogger<ClusterSiloService> logger)
        : base(options, identity, center, table, runtime, logger)
    {
        _startupTasks = startupTasks;
    }

    /// <summary>Completes if this silo is declared dead by its peers (tests; in production the process ends).</summary>
    public Task Terminated => _agent?.Terminated ?? Task.CompletedTask;

    internal MembershipAgent Agent => _agent ?? throw new InvalidOperationException("The silo has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken);
        _listener = new ClusterListener(_options.SiloPort, _options, _center, _center.Processes, _logger);
        _identity.Address = new SiloAddress(_options.AdvertisedHost, _listener.Port, _identity.Generation);
        _listener.Start(_identity.Hello);
        _center.UseListener(_listener);
        _agent = StartApplying();
        await _agent.JoinAsync(_options.GatewayPort, cancellationToken);
        _agent.StartLoops();
        foreach (var task in _startupTasks)
        {
            try
            {
                await task.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ClusterLog.StartupTaskFailed(_logger, ex, task.GetType().Name);
                throw;
            }
        }

        await _agent.SetStatusAsync(SiloStatus.Active, cancellationToken);
        ClusterLog.Started(_logger, _options.DeploymentId, _identity.Role, _identity.Name, _identity.Address.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_agent is null || _agent.Terminated.IsCompleted)
        {
            await DisposeAsync();
            return;
        }

        try
        {
            await _agent.SetStatusAsync(SiloStatus.ShuttingDown, cancellationToken);
            await _agent.LeaveAsync(cancellationToken);
        }
        finally
        {
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAgentAndFlushAsync(_agent);
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            _listener = null;
        }
    }
}
