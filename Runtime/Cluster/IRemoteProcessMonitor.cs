namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Tells a silo when another process that holds client connections is gone: a gateway process, or a peer silo with
/// the gateway it co-hosts. Such a process keeps a connection to every live silo; a silo takes it for gone when all
/// of its connections to this silo closed and it did not connect again within
/// <see cref="ClusterOptions.GatewayReconnectGrace"/> (a link that broke for a moment reconnects well within it).
/// Process names carry the incarnation, so a restarted process has a new name and its predecessor is gone.
/// Registered on silos only.
/// </summary>
public interface IRemoteProcessMonitor
{
    /// <summary>Raised with the process name (<see cref="ObserverId.Silo"/>) when it is gone, on a timer thread: handlers must not block.</summary>
    event Action<string>? ProcessGone;

    /// <summary>
    /// Says that connections held by <paramref name="processName"/> matter here. A process that is not connected now
    /// gets the grace period to connect (a live one connects to every silo of its view). False when the process is
    /// already known to be gone (no event follows for it).
    /// </summary>
    bool Watch(string processName);
}
