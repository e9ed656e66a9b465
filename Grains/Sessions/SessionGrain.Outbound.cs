using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Options;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Sessions;

// Deliveries to the client: QoS 0 goes straight out; QoS 1/2 gets a packet id and an inflight slot while the
// window (min(client Receive Maximum, Session:MaxInflight)) has room, and waits in the queue otherwise. Once anything
// is queued, new messages of every QoS queue behind it, so that messages keep the order they were published in.
// Offline, everything queues (QoS 0 only when Session:QueueQoS0). The queue is bounded by Session:MaxQueuedMessages;
// when it is full, Session:QueueOverflow decides: DropOldest (default) makes room by dropping the oldest queued
// message, DropNewest drops the arriving one. Either way the drop is counted as DropReason.QueueFull.
internal sealed partial class SessionGrain
{
    private int InflightWindow => Math.Min(State.ReceiveMaximum, _options.MaxInflight);

    private void OnDeliver(DeliverMessage deliver)
    {
        if (!SessionExists)
        {
            // The session ended after the publisher routed the message; nothing to deliver to.
            _counters.MessageDropped(DropReason.NoSubscribers);
            DeactivateOnIdle();
            return;
        }

        var qos = deliver.QoS < deliver.Message.QoS ? deliver.QoS : deliver.Message.QoS;
        var receipt = qos == MqttQoS.ExactlyOnce ? deliver.Receipt : null;
        if (receipt is not null && IsKnownExactlyOnce(receipt))
        {
            // A copy sent again (a retry, or a publisher routing again after a crash): acknowledged, not delivered twice.
            return;
        }

        var retain = deliver.RetainAsPublished && deliver.Message.Retain;
        Deliver(new PendingDelivery(deliver.Message, qos, retain, deliver.SubscriptionIdentifiers, receipt));
    }

    private void Deliver(PendingDelivery delivery)
    {
        if (State.Connection is null)
        {
            if (delivery.QoS == MqttQoS.AtMostOnce && !_options.QueueQoS0)
            {
                _counters.MessageDropped(DropReason.Offline);
                return;
            }

            Enqueue(delivery);
        }
        else if (State.Queue.Count > 0)
        {
            // Behind queued messages, even QoS 0 waits: messages of one QoS keep their order.
            Enqueue(delivery);
        }
        else if (delivery.QoS == MqttQoS.AtMostOnce)
        {
            SendAtMostOnce(delivery);
        }
        else if (State.Inflight.Count < InflightWindow)
        {
            SendInflight(delivery);
        }
        else
        {
            Enqueue(delivery);
        }
    }

    private void Enqueue(PendingDelivery delivery)
    {
        if (State.Queue.Count >= _options.MaxQueuedMessages)
        {
            _counters.MessageDropped(DropReason.QueueFull);
            if (_options.QueueOverflow == QueueOverflowPolicy.DropNewest || State.Queue.Count == 0)
            {
                CompleteExactlyOnce(delivery);
                return;
            }

            CompleteExactlyOnce(State.Queue.Dequeue());
        }

        State.Queue.Enqueue(delivery);
        MarkStateDirty();
    }

    /// <summary>Sends queued messages while connected and the inflight window has room.</summary>
    private void FillWindow()
    {
        while (!_connectionGone && State.Connection is not null && State.Queue.TryPeek(out var next))
        {
            if (next.QoS != MqttQoS.AtMostOnce && State.Inflight.Count >= InflightWindow)
            {
                return;
            }

            State.Queue.Dequeue();
            MarkStateDirty();
            if (next.QoS == MqttQoS.AtMostOnce)
            {
                SendAtMostOnce(next);
            }
            else
            {
                SendInflight(next);
            }
        }
    }

    private void SendAtMostOnce(PendingDelivery delivery)
    {
        var packet = Prepare(delivery, 0, dup: false);
        if (packet is not null && Send(packet))
        {
            _counters.MessageSent();
        }
    }

    private void SendInflight(PendingDelivery delivery)
    {
        var packetId = NextPacketId();
        var packet = Prepare(delivery, packetId, dup: false);
        if (packet is null)
        {
            CompleteExactlyOnce(delivery);
            return;
        }

        var stage = delivery.QoS == MqttQoS.AtLeastOnce ? InflightStage.AwaitingPubAck : InflightStage.AwaitingPubRec;
        State.Inflight.Add(new InflightMessage(packetId, stage, delivery));
        State.LastPacketId = packetId;
        _packetIdsInUse.Add(packetId);
        MarkStateDirty();
        if (Send(packet))
        {
            _counters.MessageSent();
        }
    }

    /// <summary>
    /// After a reconnect to a present session: unacknowledged PUBLISHes go out again with DUP=1 and PUBRELs are
    /// repeated. Exchanges beyond a window that shrank (smaller Receive Maximum) go back to the head of the queue.
    /// </summary>
    private void ResendInflight()
    {
        RequeueBeyondWindow();
        for (var i = 0; i < State.Inflight.Count && !_connectionGone; i++)
        {
            var inflight = State.Inflight[i];
            if (inflight.Delivery is null)
            {
                Send(new PubRelPacket(inflight.PacketId, ReasonCode.Success, MqttProperties.Empty));
                continue;
            }

            var packet = Prepare(inflight.Delivery, inflight.PacketId, dup: true);
            if (packet is null)
            {
                RemoveInflightAt(i);
                i--;
            }
            else if (Send(packet))
            {
                _counters.MessageSent();
            }
        }
    }

    private void RequeueBeyondWindow()
    {
        var window = InflightWindow;
        if (State.Inflight.Count <= window)
        {
            return;
        }

        // PUBRELs must be repeated whatever the window; the PUBLISHes that do not fit wait at the queue's head.
        var unreleasedRoom = window;
        foreach (var inflight in State.Inflight)
        {
            unreleasedRoom -= inflight.Delivery is null ? 1 : 0;
        }

        var kept = new List<InflightMessage>(window);
        var requeued = new Queue<PendingDelivery>(State.Queue.Count + State.Inflight.Count - window);
        foreach (var inflight in State.Inflight)
        {
            if (inflight.Delivery is null)
            {
                kept.Add(inflight);
            }
            else if (unreleasedRoom > 0)
            {
                kept.Add(inflight);
                unreleasedRoom--;
            }
            else
            {
                requeued.Enqueue(inflight.Delivery);
                _packetIdsInUse.Remove(inflight.PacketId);
            }
        }

        foreach (var queued in State.Queue)
        {
            requeued.Enqueue(queued);
        }

        State.Inflight = kept;
        State.Queue = requeued;
        MarkStateDirty();
    }

    /// <summary>The PUBLISH for <paramref name="delivery"/>, or null when it must be dropped (expired, or too large for the client).</summary>
    private PublishPacket? Prepare(PendingDelivery delivery, ushort packetId, bool dup)
    {
        var now = NowUnixMs;
        if (MessageConversions.IsExpired(delivery.Message, now))
        {
            _counters.MessageDropped(DropReason.Expired);
            return null;
        }

        var packet = MessageConversions.ToPublishPacket(delivery, packetId, dup, State.ProtocolVersion, now);
        if (State.MaximumPacketSize != 0 && MqttEncoder.GetEncodedSize(packet, State.ProtocolVersion) > State.MaximumPacketSize)
        {
            _counters.MessageDropped(DropReason.TooLarge);
            return null;
        }

        return packet;
    }

    private ushort NextPacketId()
    {
        // The window is at most 65535 wide, so a free id always exists.
        var id = State.LastPacketId;
        do
        {
            id = id == ushort.MaxValue ? (ushort)1 : (ushort)(id + 1);
        }
        while (_packetIdsInUse.Contains(id));

        return id;
    }

    private int FindInflight(ushort packetId)
    {
        for (var i = 0; i < State.Inflight.Count; i++)
        {
            if (State.Inflight[i].PacketId == packetId)
            {
                return i;
            }
        }

        return -1;
    }

    private void RemoveInflightAt(int index)
    {
        CompleteExactlyOnce(State.Inflight[index].Delivery);
        _packetIdsInUse.Remove(State.Inflight[index].PacketId);
        State.Inflight.RemoveAt(index);
        MarkStateDirty();
    }
}
