namespace GrainMQ.Gateway;

/// <summary>
/// Counters of the MQTT gateway, updated with <see cref="Interlocked"/> by every connection and read by the metrics
/// exporter. Single owner: this singleton; no lock (each counter is independent).
/// </summary>
public sealed class GatewayCounters
{
    private readonly long[] _closedByReason = new long[Enum.GetValues<DisconnectReason>().Length];
    private long _currentConnections;
    private long _connectionsOpened;
    private long _packetsReceived;
    private long _packetsSent;
    private long _qos0Dropped;
    private long _oversizedDropped;

    /// <summary>Connections open now (TCP and WebSocket).</summary>
    public long CurrentConnections => Volatile.Read(ref _currentConnections);

    /// <summary>Connections accepted since start.</summary>
    public long ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>MQTT packets decoded from clients.</summary>
    public long PacketsReceived => Volatile.Read(ref _packetsReceived);

    /// <summary>MQTT packets written to clients.</summary>
    public long PacketsSent => Volatile.Read(ref _packetsSent);

    /// <summary>QoS 0 PUBLISH packets dropped because a connection's outbound queue was full.</summary>
    public long QoS0Dropped => Volatile.Read(ref _qos0Dropped);

    /// <summary>PUBLISH packets not sent because they exceeded the client's Maximum Packet Size.</summary>
    public long OversizedDropped => Volatile.Read(ref _oversizedDropped);

    /// <summary>Connections closed for <paramref name="reason"/> since start.</summary>
    public long ConnectionsClosed(DisconnectReason reason) => Volatile.Read(ref _closedByReason[(int)reason]);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpened);
        Interlocked.Increment(ref _currentConnections);
    }

    internal void ConnectionClosed(DisconnectReason reason)
    {
        Interlocked.Increment(ref _closedByReason[(int)reason]);
        Interlocked.Decrement(ref _currentConnections);
    }

    internal void PacketReceived() => Interlocked.Increment(ref _packetsReceived);

    internal void PacketSent() => Interlocked.Increment(ref _packetsSent);

    internal void QoS0DroppedOnFullQueue() => Interlocked.Increment(ref _qos0Dropped);

    internal void OversizedPacketDropped() => Interlocked.Increment(ref _oversizedDropped);
}
