using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Grains.Cluster;

/// <summary>
/// On this silo, which sessions have their connection held by which other process: process name → (client id →
/// connection id). Written by session grains in their turns: at CONNECT and on every activation (a session that
/// hibernated or moved here registers again), removed when the connection goes. Connections held by this process are
/// not kept: its own gateway tells their sessions when a socket closes, and dies with them.
/// When the <see cref="IRemoteProcessMonitor"/> says a process is gone, every session registered with it is told
/// <see cref="ConnectionLost"/> with the exact connection id it registered — a client that meanwhile connected
/// elsewhere keeps its session, because the id no longer matches — and forgotten. At most
/// <see cref="ClusterOptions.ConnectionLostConcurrency"/> sessions are told at a time (each is an ask that completes
/// when the session handled it): every one re-activates and reads its state from storage, and an unbounded burst of
/// thousands would take more storage connections than the database has.
/// <para>
/// An entry may outlive its session's stay here (the session moved to another silo, registered there, and was not
/// told to leave): it then only produces a ConnectionLost that the session ignores (id mismatch) or rightly applies.
/// Ownership: both dictionaries change under <c>_lock</c>; grains are told after it is released. Single node (no
/// monitor): nothing is kept, every connection is local.
/// </para>
/// </summary>
internal sealed partial class RemoteConnections
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ObserverId> _byClient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _clientsByProcess = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly string _self;
    private readonly IRemoteProcessMonitor? _monitor;
    private readonly ParallelOptions _fanOut;
    private readonly ILogger _logger;

    public RemoteConnections(IGrainFactory grains, IObserverRegistry observers, IRemoteProcessMonitor? monitor, int concurrency, ILogger<RemoteConnections> logger)
    {
        _grains = grains;
        _self = observers.SiloName;
        _monitor = monitor;
        _fanOut = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        _logger = logger;
        if (monitor is not null)
        {
            monitor.ProcessGone += OnProcessGone;
        }
    }

    /// <summary>The session of <paramref name="clientId"/> is attached to <paramref name="connection"/> (replacing any earlier one).</summary>
    public void Track(string clientId, ObserverId connection)
    {
        if (_monitor is null)
        {
            return;
        }

        var remote = connection.Silo != _self;
        lock (_lock)
        {
            RemoveLocked(clientId);
            if (remote)
            {
                _byClient[clientId] = connection;
                if (!_clientsByProcess.TryGetValue(connection.Silo, out var clients))
                {
                    clients = new HashSet<string>(StringComparer.Ordinal);
                    _clientsByProcess.Add(connection.Silo, clients);
                }

                clients.Add(clientId);
            }
        }

        if (remote && !_monitor.Watch(connection.Silo))
        {
            // The process was gone before this session registered (it hibernated elsewhere, or woke for this news).
            Untrack(clientId);
            _grains.GetGrain(GrainTypes.Session, clientId).Tell(Lost(connection));
        }
    }

    /// <summary>The session of <paramref name="clientId"/> has no connection any more.</summary>
    public void Untrack(string clientId)
    {
        if (_monitor is null)
        {
            return;
        }

        lock (_lock)
        {
            RemoveLocked(clientId);
        }
    }

    private void RemoveLocked(string clientId)
    {
        if (_byClient.Remove(clientId, out var previous) && _clientsByProcess.TryGetValue(previous.Silo, out var clients))
        {
            clients.Remove(clientId);
            if (clients.Count == 0)
            {
                _clientsByProcess.Remove(previous.Silo);
            }
        }
    }

    private void OnProcessGone(string process)
    {
        List<(string ClientId, ObserverId Connection)> lost;
        lock (_lock)
        {
            if (!_clientsByProcess.Remove(process, out var clients))
            {
                return;
            }

            lost = new(clients.Count);
            foreach (var clientId in clients)
            {
                if (_byClient.Remove(clientId, out var connection))
                {
                    lost.Add((clientId, connection));
                }
            }
        }

        LogConnectionsLost(_logger, process, lost.Count);
        _ = Parallel.ForEachAsync(lost, _fanOut, NotifyAsync);
    }

    private static ConnectionLost Lost(ObserverId connection) => new(connection, ReasonCode.ServerUnavailable);

    // Never throws: a session that could not be told (its activation failed) notices at its next send instead.
    private async ValueTask NotifyAsync((string ClientId, ObserverId Connection) session, CancellationToken cancellationToken)
    {
        try
        {
            await _grains.GetGrain(GrainTypes.Session, session.ClientId).AskAsync(Lost(session.Connection), cancellationToken);
        }
        catch (Exception ex)
        {
            LogNotifyFailed(_logger, ex, session.ClientId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Process {Process} is gone: {Count} sessions are told that their connection was lost")]
    private static partial void LogConnectionsLost(ILogger logger, string process, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {ClientId} could not be told that its connection was lost; it notices at its next send")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string clientId);
}
