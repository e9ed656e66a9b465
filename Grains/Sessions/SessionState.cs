using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Sessions;

/// <summary>
/// The persistent state of a session grain. Only data: it is written as compact JSON at durability points
/// (CONNECT, SUBSCRIBE, UNSUBSCRIBE, disconnect) and when the grain is deactivated, including while its client is
/// connected (hibernation): <see cref="Connection"/> says where deliveries go after re-activation.
/// </summary>
public sealed class SessionState
{
    /// <summary>The protocol level of the client's last CONNECT.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; }

    /// <summary>The attached gateway connection; null while the client is disconnected.</summary>
    public ObserverId? Connection { get; set; }

    /// <summary>Seconds the session outlives its connection; <see cref="uint.MaxValue"/> = never expires.</summary>
    public uint SessionExpiryInterval { get; set; }

    /// <summary>When the client disconnected (Unix milliseconds); null while connected.</summary>
    public long? DisconnectedAtUnixMs { get; set; }

    /// <summary>The client's Receive Maximum (65535 when it sent none).</summary>
    public ushort ReceiveMaximum { get; set; } = ushort.MaxValue;

    /// <summary>The client's Maximum Packet Size; 0 = no limit.</summary>
    public uint MaximumPacketSize { get; set; }

    /// <summary>Topic filter → options, for every subscription of the session.</summary>
    public Dictionary<string, SubscriptionOptions> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Outbound QoS 1/2 messages sent and not yet completed, in the order they were sent.</summary>
    public List<InflightMessage> Inflight { get; set; } = [];

    /// <summary>Messages waiting: offline, or beyond the inflight window.</summary>
    public Queue<PendingDelivery> Queue { get; set; } = new();

    /// <summary>Packet ids of inbound QoS 2 PUBLISHes routed and not yet released by PUBREL.</summary>
    public HashSet<ushort> AwaitingRelease { get; set; } = [];

    /// <summary>The will of the current (or last) connection; null when there is none or it was sent or discarded.</summary>
    public WillState? Will { get; set; }

    /// <summary>When a pending will is due (Unix milliseconds); null when none is pending.</summary>
    public long? WillDueAtUnixMs { get; set; }

    /// <summary>The last packet id handed out for an outbound PUBLISH.</summary>
    public ushort LastPacketId { get; set; }

    /// <summary>
    /// Durable delivery, persistent session: the inbound QoS 2 PUBLISHes recorded before they were routed, in the order
    /// they came, until their PUBREL; null when there are none (see <c>SessionGrain.ExactlyOnce.cs</c>).
    /// </summary>
    public List<RecordedPublish>? RecordedPublishes { get; set; }

    /// <summary>The last message sequence given to a recorded PUBLISH; null before the first.</summary>
    public long? LastRecordedSequence { get; set; }

    /// <summary>
    /// QoS 2 messages (by publisher and sequence) this session took and completed, oldest first, remembered for
    /// <c>Session:Qos2DuplicateWindow</c> so that a copy routed again is not delivered twice; null when there are none.
    /// </summary>
    public Queue<CompletedMessage>? CompletedMessages { get; set; }
}

/// <summary>A message on its way to this session's client, with the per-subscriber decisions already made.</summary>
/// <param name="Message">The message.</param>
/// <param name="QoS">The QoS it is delivered with (the smaller of published and granted).</param>
/// <param name="Retain">The RETAIN flag it is delivered with.</param>
/// <param name="SubscriptionIdentifiers">Identifiers of the subscriptions it matched.</param>
/// <param name="Receipt">
/// For a QoS 2 delivery under durable delivery: the publisher's (client id, sequence), which identifies the message
/// across the publisher's retries and re-routing; null otherwise.
/// </param>
public sealed record PendingDelivery(BrokerMessage Message, MqttQoS QoS, bool Retain, IReadOnlyList<uint> SubscriptionIdentifiers, DeliveryReceipt? Receipt = null);

/// <summary>Where an outbound QoS 1/2 exchange stands.</summary>
public enum InflightStage : byte
{
    /// <summary>QoS 1 PUBLISH sent; waiting for PUBACK.</summary>
    AwaitingPubAck,

    /// <summary>QoS 2 PUBLISH sent; waiting for PUBREC.</summary>
    AwaitingPubRec,

    /// <summary>QoS 2 PUBREL sent; waiting for PUBCOMP (the message itself is no longer kept).</summary>
    AwaitingPubComp,
}

/// <summary>An outbound QoS 1/2 exchange; <paramref name="Delivery"/> is null once PUBREL was sent.</summary>
public sealed record InflightMessage(ushort PacketId, InflightStage Stage, PendingDelivery? Delivery);

/// <summary>A will message: published when the connection ends without a normal DISCONNECT, after its delay.</summary>
/// <param name="Message">The message (its expiry is set when it is published).</param>
/// <param name="MessageExpiryInterval">The v5 Message Expiry Interval, counted from publication.</param>
/// <param name="DelayInterval">The v5 Will Delay Interval in seconds.</param>
public sealed record WillState(BrokerMessage Message, uint? MessageExpiryInterval, uint DelayInterval);

/// <summary>An inbound QoS 2 PUBLISH recorded before it was routed (durable delivery, persistent session).</summary>
/// <param name="PacketId">The client's packet id, until PUBREL.</param>
/// <param name="Sequence">The message's sequence: with the client id, its identity wherever it is routed again.</param>
/// <param name="Message">The message, kept until its PUBREC went out (to route it again after a crash); then null.</param>
public sealed record RecordedPublish(ushort PacketId, long Sequence, BrokerMessage? Message);

/// <summary>A QoS 2 message a subscriber session completed (or dropped), and when.</summary>
/// <param name="PublisherClientId">The publisher's client id.</param>
/// <param name="Sequence">The publisher session's sequence of the message.</param>
/// <param name="CompletedAtUnixMs">When the session was done with it (Unix milliseconds).</param>
public sealed record CompletedMessage(string PublisherClientId, long Sequence, long CompletedAtUnixMs);
