using System.Collections.Concurrent;
using GrainMQ.Grains;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// Which session grains are in memory, from the runtime's Activated/Deactivated events, so that hibernated sessions
/// can be counted and the dashboard can tell a live session from a hibernated one without waking it.
/// <list type="bullet">
/// <item><b>live</b>: session grain activations in memory on this silo, connected or not (the runtime's own count).</item>
/// <item><b>hibernated</b>: clients connected to this silo whose session grain is not in memory: the gateway holds
/// the socket, the session's state is in storage, and the next packet or delivery re-activates it.</item>
/// </list>
/// The two never overlap. Counts are per key because a successor activation may announce itself before its
/// predecessor's deactivation is reported. Event handlers run on scheduler workers: a dictionary update, no more.
/// </summary>
public sealed class SessionTracker : IDisposable
{
    private readonly ConcurrentDictionary<string, int> _live = new(StringComparer.Ordinal);
    private readonly IRuntimeStatistics _statistics;
    private readonly ConnectedClients _connected;

    /// <summary>Starts tracking (activations that happened before are not seen: create it before the runtime runs grains).</summary>
    public SessionTracker(IRuntimeStatistics statistics, ConnectedClients connected)
    {
        _statistics = statistics;
        _connected = connected;
        statistics.Activated += OnActivated;
        statistics.Deactivated += OnDeactivated;
    }

    /// <summary>Session activations in memory (the runtime's count).</summary>
    public int Live => _statistics.LiveActivations(GrainTypes.Session);

    /// <summary>Connected clients whose session grain is not in memory.</summary>
    public int Hibernated
    {
        get
        {
            var liveAndConnected = 0;
            foreach (var (clientId, _) in _live)
            {
                if (_connected.Contains(clientId))
                {
                    liveAndConnected++;
                }
            }

            return Math.Max(0, _connected.Count - liveAndConnected);
        }
    }

    /// <summary>Whether the session of <paramref name="clientId"/> is in memory.</summary>
    public bool IsLive(string clientId) => _live.ContainsKey(clientId);

    /// <summary>The client ids of the sessions in memory (a moment's copy).</summary>
    public ICollection<string> LiveClientIds => _live.Keys;

    /// <inheritdoc />
    public void Dispose()
    {
        _statistics.Activated -= OnActivated;
        _statistics.Deactivated -= OnDeactivated;
    }

    private void OnActivated(GrainId id)
    {
        if (id.Type == GrainTypes.Session)
        {
            _live.AddOrUpdate(id.Key, 1, static (_, count) => count + 1);
        }
    }

    private void OnDeactivated(GrainId id, DeactivationReason reason)
    {
        if (id.Type != GrainTypes.Session)
        {
            return;
        }

        var remaining = _live.AddOrUpdate(id.Key, 0, static (_, count) => count - 1);
        if (remaining <= 0)
        {
            _live.TryRemove(new KeyValuePair<string, int>(id.Key, remaining));
        }
    }
}
