using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Sessions;

// Durable delivery (Session:AcknowledgeAfterPersist, on in a cluster). Publisher side: a QoS 1/2 PUBLISH is routed
// with a receipt; its PUBACK/PUBREC waits until every subscriber session that got a QoS 1/2 delivery acknowledged
// it, and acknowledgements go out in the order the PUBLISHes came in. A delivery not acknowledged within
// Session:DeliveryRetryInterval is sent again (its subscriber's silo may have died before persisting it; QoS 1 allows
// the duplicate). Subscriber side: a persistent session acknowledges after its state (queue or inflight, with the new
// message) is written; deliveries that arrive together share one write (the write is a timer turn queued behind them),
// and so does the PUBREL that answers a client's PUBREC (QoS 2: see SessionGrain.ExactlyOnce.cs).
internal sealed partial class SessionGrain
{
    private readonly Queue<PendingPublish> _pendingPublishes = new();
    private readonly Dictionary<long, PendingPublish> _pendingBySequence = [];
    private readonly List<DeliveryReceipt> _receiptsToSend = [];
    private readonly List<ushort> _releasesToSend = [];
    // Starts at the activation's time in ticks (or beyond the last recorded sequence, see RestoreExactlyOnce), so that a
    // late acknowledgement meant for a previous activation of this session (on this or another silo) never matches a
    // PUBLISH of this one, except for a recorded QoS 2 PUBLISH routed again with its own sequence.
    private long _publishSequence = DateTime.UtcNow.Ticks;
    private IDisposable? _retryTimer;
    private IDisposable? _persistTimer;

    public override async Task OnDeactivateAsync(Runtime.DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_receiptsToSend.Count > 0 || _releasesToSend.Count > 0)
        {
            await PersistAndAcknowledgeAsync();
        }
    }

    private bool IsDurableAck(PublishPacket publish) => _options.AcknowledgeAfterPersist && publish.QoS != MqttQoS.AtMostOnce;

    /// <summary>True when a QoS 2 PUBLISH with this id is still waiting for its subscribers: its PUBREC will follow.</summary>
    private bool IsAwaitingSubscribers(ushort packetId)
    {
        foreach (var pending in _pendingPublishes)
        {
            if (pending.PacketId == packetId)
            {
                return true;
            }
        }

        return false;
    }

    private Task PublishDurablyAsync(PublishPacket publish, BrokerMessage message) =>
        RouteDurablyAsync(publish.PacketId, publish.QoS, message, ++_publishSequence);

    private async Task RouteDurablyAsync(ushort packetId, MqttQoS qos, BrokerMessage message, long sequence)
    {
        var pending = new PendingPublish(packetId, qos, sequence, Environment.TickCount64);
        var deliveries = await _router.PublishAsync(message, ClientId, new DeliveryReceipt(ClientId, sequence), pending.Awaited);
        pending.ReasonCode = deliveries == 0 && State.ProtocolVersion == MqttProtocolVersion.V500
            ? ReasonCode.NoMatchingSubscribers
            : ReasonCode.Success;
        _pendingPublishes.Enqueue(pending);
        if (pending.Awaited.Count > 0)
        {
            _pendingBySequence[pending.Sequence] = pending;
            _retryTimer ??= RegisterTimer(RetryUnacknowledgedAsync, _options.DeliveryRetryInterval, _options.DeliveryRetryInterval, keepAlive: true);
        }

        AcknowledgeCompletedPublishes();
    }

    private void OnDeliveryAcknowledged(DeliveryAcknowledged acknowledged)
    {
        if (!_pendingBySequence.TryGetValue(acknowledged.Sequence, out var pending))
        {
            return;
        }

        var awaited = pending.Awaited;
        for (var i = 0; i < awaited.Count; i++)
        {
            if (awaited[i].Key == acknowledged.SubscriberClientId)
            {
                awaited.RemoveAt(i);
                break;
            }
        }

        if (awaited.Count == 0)
        {
            _pendingBySequence.Remove(acknowledged.Sequence);
            AcknowledgeCompletedPublishes();
        }
    }

    private void AcknowledgeCompletedPublishes()
    {
        while (_pendingPublishes.TryPeek(out var head) && head.Awaited.Count == 0)
        {
            _pendingPublishes.Dequeue();
            if (head.QoS == MqttQoS.AtLeastOnce)
            {
                Send(new PubAckPacket(head.PacketId, head.ReasonCode, MqttProperties.Empty));
            }
            else
            {
                MarkStateDirty();
                ForgetRecordedMessage(head.PacketId);
                Send(new PubRecPacket(head.PacketId, head.ReasonCode, MqttProperties.Empty));
            }
        }

        if (_pendingPublishes.Count == 0)
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
        }
    }

    /// <summary>
    /// The connection the pending acknowledgements were for is gone: its client will send those PUBLISHes again, and the
    /// PUBRELs waiting for a write are repeated after the next CONNECT (which writes the state first).
    /// </summary>
    private void ForgetPendingPublishes()
    {
        _pendingPublishes.Clear();
        _releasesToSend.Clear();
        _pendingBySequence.Clear();
        _retryTimer?.Dispose();
        _retryTimer = null;
    }

    private Task RetryUnacknowledgedAsync()
    {
        var now = Environment.TickCount64;
        var interval = (long)_options.DeliveryRetryInterval.TotalMilliseconds;
        foreach (var pending in _pendingBySequence.Values)
        {
            if (now - pending.SentAtTicks < interval)
            {
                continue;
            }

            pending.SentAtTicks = now;
            foreach (var (subscriber, deliver) in pending.Awaited)
            {
                GrainFactory.GetGrain(GrainTypes.Session, subscriber).Tell(deliver);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Subscriber side: acknowledges a delivery at once, or after the next state write for a persistent session.</summary>
    private void AcknowledgeDelivery(DeliveryReceipt? receipt)
    {
        if (receipt is null)
        {
            return;
        }

        if (!SessionExists || State.SessionExpiryInterval == 0)
        {
            SendReceipt(receipt);
            return;
        }

        MarkStateDirty();
        _receiptsToSend.Add(receipt);
        _persistTimer ??= RegisterTimer(PersistAndAcknowledgeAsync, TimeSpan.Zero, Timeout.InfiniteTimeSpan, keepAlive: true);
    }

    /// <summary>
    /// Subscriber side, the client's PUBREC for a QoS 2 message: a persistent session under durable delivery writes it
    /// before the PUBREL goes out. Once the client has the PUBREL it may complete and forget the packet id; a crash
    /// that lost the PUBREC would then send the message again under that id, and the client would take it for new.
    /// </summary>
    private void SendPubRel(ushort packetId)
    {
        if (!_options.AcknowledgeAfterPersist || State.SessionExpiryInterval == 0)
        {
            Send(new PubRelPacket(packetId, ReasonCode.Success, MqttProperties.Empty));
            return;
        }

        _releasesToSend.Add(packetId);
        _persistTimer ??= RegisterTimer(PersistAndAcknowledgeAsync, TimeSpan.Zero, Timeout.InfiniteTimeSpan, keepAlive: true);
    }

    private async Task PersistAndAcknowledgeAsync()
    {
        _persistTimer?.Dispose();
        _persistTimer = null;
        if (_receiptsToSend.Count == 0 && _releasesToSend.Count == 0)
        {
            return;
        }

        await WriteStateAsync();
        foreach (var receipt in _receiptsToSend)
        {
            SendReceipt(receipt);
        }

        _receiptsToSend.Clear();
        foreach (var packetId in _releasesToSend)
        {
            Send(new PubRelPacket(packetId, ReasonCode.Success, MqttProperties.Empty));
        }

        _releasesToSend.Clear();
    }

    private void SendReceipt(DeliveryReceipt receipt) =>
        GrainFactory.GetGrain(GrainTypes.Session, receipt.PublisherClientId).Tell(new DeliveryAcknowledged(receipt.Sequence, ClientId));

    private sealed class PendingPublish(ushort packetId, MqttQoS qos, long sequence, long sentAtTicks)
    {
        public ushort PacketId { get; } = packetId;

        public MqttQoS QoS { get; } = qos;

        public long Sequence { get; } = sequence;

        public long SentAtTicks { get; set; } = sentAtTicks;

        public ReasonCode ReasonCode { get; set; }

        /// <summary>Subscribers (with the message sent to each) whose acknowledgement is still missing.</summary>
        public List<KeyValuePair<string, DeliverMessage>> Awaited { get; } = [];
    }
}
