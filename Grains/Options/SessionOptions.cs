namespace GrainMQ.Grains.Options;

/// <summary>Limits and policies of MQTT sessions (configuration section <c>Session</c>).</summary>
public sealed class SessionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Session";

    /// <summary>
    /// How long a session grain stays in memory without messages before it is deactivated (its state written to
    /// storage). Applies to connected sessions too: deliveries re-activate them. Default 30 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most QoS 1/2 PUBLISHes sent to a client and not yet acknowledged; the effective window is the smaller of
    /// this and the client's Receive Maximum. Further messages wait in the session queue. 1-65535, default 32.
    /// </summary>
    public int MaxInflight { get; set; } = 32;

    /// <summary>
    /// The most messages a session queues: for a persistent session while its client is offline, and for messages
    /// beyond the inflight window while it is online. 0 disables queueing. Default 1000.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 1000;

    /// <summary>What happens to a message that arrives when the queue is full. Default <see cref="QueueOverflowPolicy.DropOldest"/>.</summary>
    public QueueOverflowPolicy QueueOverflow { get; set; } = QueueOverflowPolicy.DropOldest;

    /// <summary>Whether QoS 0 messages are queued for a persistent session whose client is offline. Default true.</summary>
    public bool QueueQoS0 { get; set; } = true;

    /// <summary>
    /// The longest session expiry interval granted, in seconds; a longer request is reduced to this and the client
    /// is told in CONNACK. Default 4294967295 (never expire).
    /// </summary>
    public uint MaxSessionExpiryInterval { get; set; } = uint.MaxValue;

    /// <summary>The highest QoS granted to a subscription (0-2). Default 2.</summary>
    public int MaxQoS { get; set; } = 2;

    /// <summary>
    /// Durable delivery: a QoS 1/2 PUBLISH is acknowledged (PUBACK/PUBREC) only once every subscriber session it was
    /// routed to has taken it — written to storage first when that session is persistent. Off by default (single node,
    /// in memory: there is nothing to make durable); a clustered silo turns it on.
    /// </summary>
    public bool AcknowledgeAfterPersist { get; set; }

    /// <summary>
    /// With <see cref="AcknowledgeAfterPersist"/>: how long a publisher's session waits for a subscriber's
    /// acknowledgement before it sends the delivery again (the subscriber's silo may have died). Default 5 s.
    /// </summary>
    public TimeSpan DeliveryRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With <see cref="AcknowledgeAfterPersist"/>: how long a subscriber session remembers a QoS 2 message it completed,
    /// so that a copy routed again (a retry whose acknowledgement was lost with a crashed silo, or a publisher that
    /// resent its PUBLISH after its own silo crashed) is acknowledged but not delivered twice. It must cover a retry
    /// interval, the detection of a dead silo (seconds; up to ~20 s for a hung one), the re-activation and a publishing
    /// client's reconnect; messages still queued or inflight are known regardless. Default 5 min.
    /// </summary>
    public TimeSpan Qos2DuplicateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// With <see cref="AcknowledgeAfterPersist"/>: the most completed QoS 2 messages a session remembers (the oldest is
    /// forgotten first, even inside <see cref="Qos2DuplicateWindow"/>). Each costs ~100 bytes of the session's stored
    /// state. Default 1000.
    /// </summary>
    public int Qos2DuplicateMaxIds { get; set; } = 1000;

    /// <summary>The first problem with these values, or null when they are usable.</summary>
    internal string? Validate() =>
        IdleTimeout <= TimeSpan.Zero ? "Session:IdleTimeout must be positive"
        : MaxInflight is < 1 or > 65535 ? "Session:MaxInflight must be 1-65535"
        : MaxQueuedMessages < 0 ? "Session:MaxQueuedMessages must not be negative"
        : MaxQoS is < 0 or > 2 ? "Session:MaxQoS must be 0, 1 or 2"
        : DeliveryRetryInterval <= TimeSpan.Zero ? "Session:DeliveryRetryInterval must be positive"
        : Qos2DuplicateWindow < TimeSpan.Zero ? "Session:Qos2DuplicateWindow must not be negative"
        : Qos2DuplicateMaxIds < 0 ? "Session:Qos2DuplicateMaxIds must not be negative"
        : null;
}

/// <summary>What a session does with a new message when its queue already holds <see cref="SessionOptions.MaxQueuedMessages"/>.</summary>
public enum QueueOverflowPolicy
{
    /// <summary>Drop the oldest queued message to make room for the new one (EMQX's default): a returning client sees the latest data.</summary>
    DropOldest,

    /// <summary>Drop the new message and keep the queue as it is: a returning client sees the oldest data.</summary>
    DropNewest,
}
