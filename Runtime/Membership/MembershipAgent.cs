using GrainMQ.Runtime.Cluster;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Membership;

/// <summary>
/// This process's side of the membership protocol. A silo inserts itself as joining, becomes active, writes its
/// I-am-alive time every <see cref="ClusterOptions.IAmAliveInterval"/>, probes its peers (<c>.Probing.cs</c>) and
/// votes those that stop answering dead; on a graceful stop it goes shutting-down, then dead. Every process (silos
/// and gateways) reads the table at once when the table notifies a change (<see cref="IMembershipChangeNotifications"/>,
/// <see cref="ClusterOptions.ListenForTableChanges"/>) or a peer announces one, and every
/// <see cref="ClusterOptions.TableRefreshInterval"/> as the fallback, and hands each newer view to the message center.
/// A silo that reads its own row as dead stops serving at once (<see cref="Terminated"/>).
/// Status writes are version-conditioned: on a lost race the agent reads again and retries.
/// </summary>
internal sealed partial class MembershipAgent : IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly ClusterOptions _options;
    private readonly ClusterIdentity _identity;
    private readonly ClusterMessageCenter _center;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _loops = [];
    private volatile bool _leaving;
    private int _disposed;

    public MembershipAgent(IMembershipTable table, ClusterOptions options, ClusterIdentity identity, ClusterMessageCenter center, ILogger logger)
    {
        _table = table;
        _options = options;
        _identity = identity;
        _center = center;
        _logger = logger;
        _center.MembershipChangeAnnounced += OnMembershipChangeAnnounced;
    }

    /// <summary>Completes when this silo found itself declared dead.</summary>
    public Task Terminated => _terminated.Task;

    private SiloAddress Self => _identity.Address;

    /// <summary>Inserts this silo as <see cref="SiloStatus.Joining"/> (retrying lost version races) and applies the view.</summary>
    public async Task JoinAsync(int gatewayPort, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            if (snapshot.Find(Self) is not null)
            {
                break;
            }

            var now = DateTimeOffset.UtcNow;
            var entry = new MembershipEntry(Self, _identity.Name, Environment.MachineName, SiloStatus.Joining, gatewayPort, [], now, now);
            if (await _table.InsertAsync(entry, snapshot.Version, cancellationToken))
            {
                ClusterLog.StatusWritten(_logger, Self, SiloStatus.Joining, snapshot.Version + 1);
                _center.AnnounceMembershipChange();
                break;
            }
        }

        await RefreshAsync(cancellationToken);
    }

    /// <summary>Writes this silo's status (retrying lost version races); false when its row is dead or gone.</summary>
    public async Task<bool> SetStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            if (snapshot.Find(Self) is not { } entry || entry.Status == SiloStatus.Dead)
            {
                return false;
            }

            if (entry.Status == status || await _table.UpdateAsync(entry with { Status = status }, snapshot.Version, cancellationToken))
            {
                ClusterLog.StatusWritten(_logger, Self, status, snapshot.Version + 1);
                await RefreshAsync(cancellationToken);
                _center.AnnounceMembershipChange();
                return true;
            }
        }
    }

    /// <summary>
    /// Graceful end: writes this silo dead (it will never serve again under this generation) and stops reacting to
    /// its own death in the table.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        _leaving = true;
        while (true)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            if (snapshot.Find(Self) is not { } entry || entry.Status == SiloStatus.Dead)
            {
                return;
            }

            if (await _table.UpdateAsync(entry with { Status = SiloStatus.Dead }, snapshot.Version, cancellationToken))
            {
                ClusterLog.StatusWritten(_logger, Self, SiloStatus.Dead, snapshot.Version + 1);
                _center.AnnounceMembershipChange();
                return;
            }
        }
    }

    /// <summary>Reads the table and hands a newer view to the message center; detects this silo's own death.</summary>
    public async Task<MembershipView> RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _table.ReadAllAsync(cancellationToken);
        var view = new MembershipView(snapshot, _options.VirtualNodesPerSilo);
        if (_identity.Role == ClusterRole.Silo && view.IsDead(Self))
        {
            if (!_leaving)
            {
                Terminate();
            }

            return view;
        }

        if (view.Version > _center.View.Version)
        {
            ClusterLog.ViewChanged(_logger, view.Version, view.Ring.Members.Count, string.Join(", ", view.Ring.Members));
            await _center.ApplyView(view).WaitAsync(cancellationToken);
        }

        return view;
    }

    /// <summary>Starts the periodic work: table refresh for everyone, I-am-alive and probing for silos.</summary>
    public void StartLoops()
    {
        _loops.Add(RunPeriodicallyAsync(_options.TableRefreshInterval, ct => RefreshAsync(ct)));
        if (_options.ListenForTableChanges && _table is IMembershipChangeNotifications notifications)
        {
            _loops.Add(ListenForChangesAsync(notifications));
        }

        if (_identity.Role == ClusterRole.Silo)
        {
            _loops.Add(RunPeriodicallyAsync(_options.IAmAliveInterval, ct => _table.UpdateIAmAliveAsync(Self, DateTimeOffset.UtcNow, ct)));
            _loops.Add(RunPeriodicallyAsync(_options.ProbeInterval, ProbeAsync));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _center.MembershipChangeAnnounced -= OnMembershipChangeAnnounced;
            await _stopping.CancelAsync();
        }

        await Task.WhenAll(_loops);
    }

    private void OnMembershipChangeAnnounced() => _ = RefreshOnAnnouncementAsync();

    // Called by the notification listener's loop: the read runs elsewhere, so that the listener goes on listening.
    private void OnTableChanged() => _ = Task.Run(RefreshOnAnnouncementAsync);

    // Subscribes to the table's change notifications for as long as the agent runs; after a failure (connection lost,
    // database restarting) it subscribes again one refresh interval later, while the periodic read goes on.
    private async Task ListenForChangesAsync(IMembershipChangeNotifications notifications)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await notifications.ListenAsync(OnTableChanged, _stopping.Token);
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                ClusterLog.ListenFailed(_logger, ex, _options.TableRefreshInterval);
                try
                {
                    await Task.Delay(_options.TableRefreshInterval, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    // Stopping.
                }
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                // Stopping: the wait was cancelled (Npgsql may report it as a broken connection).
            }
        }
    }

    private async Task RefreshOnAnnouncementAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await RefreshAsync(_stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClusterLog.TableFailed(_logger, ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Terminate()
    {
        if (_terminated.Task.IsCompleted)
        {
            return;
        }

        ClusterLog.SelfDeclaredDead(_logger, Self);
        if (_options.FailFastWhenDeclaredDead)
        {
            // Nothing may run any more under this generation: not even a graceful stop, which would write grain state.
            Environment.FailFast($"GrainMQ silo {Self} was declared dead by the cluster.");
        }

        _center.Stop();
        _stopping.Cancel();
        _terminated.TrySetResult();
    }

    private async Task RunPeriodicallyAsync(TimeSpan period, Func<CancellationToken, Task> work)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await work(_stopping.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ClusterLog.TableFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
