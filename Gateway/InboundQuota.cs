namespace GrainMQ.Gateway;

/// <summary>
/// The packet identifiers of QoS 1/2 PUBLISH packets an MQTT 5 client sent that are not acknowledged yet, bounded by
/// the broker's Receive Maximum. The read loop acquires, the write loop releases when PUBACK, PUBCOMP or an error
/// PUBREC goes out; both hold <c>_lock</c> (nothing else is locked while holding it). A resent PUBLISH (same
/// identifier) does not count twice.
/// </summary>
internal sealed class InboundQuota(int maximum)
{
    private readonly Lock _lock = new();

    /// <summary>Created by the first QoS 1/2 PUBLISH, so a client that never sends one costs no set.</summary>
    private HashSet<ushort>? _packetIds;

    public bool TryAcquire(ushort packetId)
    {
        lock (_lock)
        {
            var packetIds = _packetIds ??= [];
            return packetIds.Contains(packetId) || (packetIds.Count < maximum && packetIds.Add(packetId));
        }
    }

    public void Release(ushort packetId)
    {
        lock (_lock)
        {
            _packetIds?.Remove(packetId);
        }
    }
}
