using GrainMQ.Protocol;

namespace GrainMQ.Gateway;

/// <summary>
/// Counters of the MQTT gateway, updated with <see cref="Interlocked"/> by every connection and read by the metrics
/// exporter. Single owner: this singleton; no lock (each counter is independent). Connections, packets and bytes are
/// kept per listener (<see cref="MqttTransport"/>) and packets and bytes per packet type, so a packet costs the same
/// two interlocked additions whatever is read from them.
/// </summary>
public sealed class GatewayCounters
{
    private static readonly int Transports = Enum.GetValues<MqttTransport>().Length;
    private static readonly int Reasons = Enum.GetValues<DisconnectReason>().Length;

    /// <summary>Packet type slots: the fixed header's four bits.</summary>
    private const int PacketTypes = 16;

    private readonly long[] _closed = new long[Transports * Reasons];
    private readonly long[] _current = new long[Transports];
    private readonly long[] _opened = new long[Transports];
    private readonly long[] _packetsIn = new long[Transports * PacketTypes];
    private readonly long[] _bytesIn = new long[Transports * PacketTypes];
    private readonly long[] _packetsOut = new long[Transports * PacketTypes];
    private readonly long[] _bytesOut = new long[Transports * PacketTypes];
    private long _qos0Dropped;
    private long _oversizedDropped;
    private long _readsPaused;
    private long _outboundQueuePeak;

    /// <summary>Connections open now (TCP and WebSocket).</summary>
    public long CurrentConnections => Sum(_current);

    /// <summary>Connections accepted since start.</summary>
    public long ConnectionsOpened => Sum(_opened);

    /// <summary>MQTT packets decoded from clients.</summary>
    public long PacketsReceived => Sum(_packetsIn);

    /// <summary>MQTT packets written to clients.</summary>
    public long PacketsSent => Sum(_packetsOut);

    /// <summary>Bytes of the MQTT packets decoded from clients.</summary>
    public long BytesReceived => Sum(_bytesIn);

    /// <summary>Bytes of the MQTT packets written to clients.</summary>
    public long BytesSent => Sum(_bytesOut);

    /// <summary>QoS 0 PUBLISH packets dropped because a connection's outbound queue was full.</summary>
    public long QoS0Dropped => Volatile.Read(ref _qos0Dropped);

    /// <summary>PUBLISH packets not sent because they exceeded the client's Maximum Packet Size.</summary>
    public long OversizedDropped => Volatile.Read(ref _oversizedDropped);

    /// <summary>
    /// Times a connection stopped reading from its client because its outbound queue held <c>Mqtt:MaxQueuedMessages</c>
    /// packets (backpressure: the client sends faster than it reads).
    /// </summary>
    public long ReadsPaused => Volatile.Read(ref _readsPaused);

    /// <summary>The most packets any one connection's outbound queue has held at once since start.</summary>
    public long OutboundQueuePeak => Volatile.Read(ref _outboundQueuePeak);

    /// <summary>Connections closed for <paramref name="reason"/> since start.</summary>
    public long ConnectionsClosed(DisconnectReason reason)
    {
        long total = 0;
        for (var transport = 0; transport < Transports; transport++)
        {
            total += Volatile.Read(ref _closed[(transport * Reasons) + (int)reason]);
        }

        return total;
    }

    /// <summary>Connections open now on <paramref name="listener"/>.</summary>
    public long CurrentConnectionsOn(MqttTransport listener) => Volatile.Read(ref _current[(int)listener]);

    /// <summary>Connections accepted on <paramref name="listener"/> since start.</summary>
    public long ConnectionsOpenedOn(MqttTransport listener) => Volatile.Read(ref _opened[(int)listener]);

    /// <summary>Connections of <paramref name="listener"/> closed for <paramref name="reason"/> since start.</summary>
    public long ConnectionsClosedOn(MqttTransport listener, DisconnectReason reason) =>
        Volatile.Read(ref _closed[((int)listener * Reasons) + (int)reason]);

    /// <summary>Packets of <paramref name="type"/> decoded from clients of <paramref name="listener"/>.</summary>
    public long PacketsReceivedOf(MqttTransport listener, PacketType type) => Volatile.Read(ref _packetsIn[Slot(listener, type)]);

    /// <summary>Bytes of the <paramref name="type"/> packets decoded from clients of <paramref name="listener"/>.</summary>
    public long BytesReceivedOf(MqttTransport listener, PacketType type) => Volatile.Read(ref _bytesIn[Slot(listener, type)]);

    /// <summary>Packets of <paramref name="type"/> written to clients of <paramref name="listener"/>.</summary>
    public long PacketsSentOf(MqttTransport listener, PacketType type) => Volatile.Read(ref _packetsOut[Slot(listener, type)]);

    /// <summary>Bytes of the <paramref name="type"/> packets written to clients of <paramref name="listener"/>.</summary>
    public long BytesSentOf(MqttTransport listener, PacketType type) => Volatile.Read(ref _bytesOut[Slot(listener, type)]);

    internal void ConnectionOpened(MqttTransport listener)
    {
        Interlocked.Increment(ref _opened[(int)listener]);
        Interlocked.Increment(ref _current[(int)listener]);
    }

    internal void ConnectionClosed(MqttTransport listener, DisconnectReason reason)
    {
        Interlocked.Increment(ref _closed[((int)listener * Reasons) + (int)reason]);
        Interlocked.Decrement(ref _current[(int)listener]);
    }

    internal void PacketReceived(MqttTransport listener, PacketType type, long bytes)
    {
        var slot = Slot(listener, type);
        Interlocked.Increment(ref _packetsIn[slot]);
        Interlocked.Add(ref _bytesIn[slot], bytes);
    }

    internal void PacketSent(MqttTransport listener, PacketType type, long bytes)
    {
        var slot = Slot(listener, type);
        Interlocked.Increment(ref _packetsOut[slot]);
        Interlocked.Add(ref _bytesOut[slot], bytes);
    }

    internal void QoS0DroppedOnFullQueue() => Interlocked.Increment(ref _qos0Dropped);

    internal void OversizedPacketDropped() => Interlocked.Increment(ref _oversizedDropped);

    internal void ReadPaused() => Interlocked.Increment(ref _readsPaused);

    /// <summary>A connection's outbound queue now holds <paramref name="length"/> packets (raises the peak; only a read when it is not higher).</summary>
    internal void OutboundQueueLength(long length)
    {
        var peak = Volatile.Read(ref _outboundQueuePeak);
        while (length > peak)
        {
            var seen = Interlocked.CompareExchange(ref _outboundQueuePeak, length, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    private static int Slot(MqttTransport listener, PacketType type) => ((int)listener * PacketTypes) + ((int)type & (PacketTypes - 1));

    private static long Sum(long[] counters)
    {
        long total = 0;
        for (var i = 0; i < counters.Length; i++)
        {
            total += Volatile.Read(ref counters[i]);
        }

        return total;
    }
}
