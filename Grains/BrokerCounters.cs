namespace GrainMQ.Grains;

/// <summary>Why a message was not delivered to a client (or to anyone).</summary>
public enum DropReason
{
    /// <summary>A session queue was full (see <c>Session:QueueOverflow</c>).</summary>
    QueueFull,

    /// <summary>The PUBLISH would exceed the client's Maximum Packet Size.</summary>
    TooLarge,

    /// <summary>The message's expiry interval passed before it could be sent.</summary>
    Expired,

    /// <summary>No subscription matched a published (non-retained) message.</summary>
    NoSubscribers,

    /// <summary>A QoS 0 message for an offline session while <c>Session:QueueQoS0</c> is false.</summary>
    Offline,

    /// <summary>The session ended (expired or clean start) with messages still queued or unacknowledged.</summary>
    SessionEnded,

    /// <summary>A client published to a <c>$SYS/</c> topic, which only the broker publishes to.</summary>
    NotAuthorized,

    /// <summary>A QoS 2 copy of a message the session already has or had (durable delivery sent it again); acknowledged, not delivered twice.</summary>
    Duplicate,
}

/// <summary>
/// The broker's counters, in one place: a singleton of lock-free longs written from grain turns on any worker
/// thread (Interlocked) and read by the $SYS publisher (and later by metrics).
/// </summary>
public sealed class BrokerCounters
{
    private readonly ConnectedClients _connectedClients;
    private readonly long[] _dropped = new long[Enum.GetValues<DropReason>().Length];
    private long _messagesReceived;
    private long _messagesSent;

    /// <summary>Creates the counters; the connected-client count is read from <paramref name="connectedClients"/>.</summary>
    public BrokerCounters(ConnectedClients connectedClients)
    {
        _connectedClients = connectedClients;
    }

    /// <summary>PUBLISH packets received from clients.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>PUBLISH packets sent to clients (resends included).</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Clients with a connection attached to their session on this silo.</summary>
    public long ClientsConnected => _connectedClients.Count;

    /// <summary>Messages dropped for <paramref name="reason"/>.</summary>
    public long Dropped(DropReason reason) => Interlocked.Read(ref _dropped[(int)reason]);

    /// <summary>Counts one PUBLISH received from a client.</summary>
    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    /// <summary>Counts one PUBLISH sent to a client.</summary>
    public void MessageSent() => Interlocked.Increment(ref _messagesSent);

    /// <summary>Counts <paramref name="count"/> messages dropped for <paramref name="reason"/>.</summary>
    public void MessageDropped(DropReason reason, int count = 1) => Interlocked.Add(ref _dropped[(int)reason], count);
}
