using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Sessions;

// QoS 2 exactly once across a silo crash (durable delivery, Session:AcknowledgeAfterPersist). A message is identified
// by its DeliveryReceipt: the publisher's client id and the publisher session's sequence for the PUBLISH.
//
// Publisher side, persistent session: a new QoS 2 PUBLISH is recorded (packet id → sequence, message) and the record
// written before the message is routed. A resent PUBLISH for a recorded packet id whose PUBREC never went out, and the
// re-activation of a connected session holding such records, route the message again with the same sequence, so a
// subscriber that already has it drops the copy. The message leaves the record when the PUBREC goes out; the record
// leaves at PUBREL, written before the PUBCOMP (after which the client may use the packet id for a new message).
//
// Subscriber side: the ids of QoS 2 messages queued or inflight, and of those completed (PUBREC from the client, or
// dropped) within Session:Qos2DuplicateWindow (at most Session:Qos2DuplicateMaxIds), are known; a copy with a known id
// is acknowledged again and not delivered. The ids live in the state, so they survive a crash exactly as far as the
// messages do.
internal sealed partial class SessionGrain
{
    private readonly HashSet<DeliveryReceipt> _exactlyOnceIds = [];

    /// <summary>True when a new QoS 2 PUBLISH is recorded before it is routed: durable delivery and a persistent session.</summary>
    private bool RecordsPublishes => _options.AcknowledgeAfterPersist && State.SessionExpiryInterval != 0;

    /// <summary>At activation: the ids of the QoS 2 messages this session holds or completed; a sequence beyond every recorded one.</summary>
    private void RestoreExactlyOnce()
    {
        _publishSequence = Math.Max(_publishSequence, State.LastRecordedSequence ?? 0);
        foreach (var queued in State.Queue)
        {
            RememberHeld(queued);
        }

        foreach (var inflight in State.Inflight)
        {
            RememberHeld(inflight.Delivery);
        }

        if (State.CompletedMessages is { } completed)
        {
            foreach (var message in completed)
            {
                _exactlyOnceIds.Add(new DeliveryReceipt(message.PublisherClientId, message.Sequence));
            }
        }
    }

    private void RememberHeld(PendingDelivery? delivery)
    {
        if (delivery?.Receipt is { } receipt)
        {
            _exactlyOnceIds.Add(receipt);
        }
    }

    /// <summary>A new QoS 2 PUBLISH of a persistent session: recorded and written first, then routed with its sequence.</summary>
    private async Task PublishRecordedAsync(ushort packetId, BrokerMessage message)
    {
        var sequence = ++_publishSequence;
        var recorded = State.RecordedPublishes ??= [];
        recorded.Add(new RecordedPublish(packetId, sequence, message));
        State.LastRecordedSequence = sequence;
        try
        {
            await WriteStateAsync();
        }
        catch
        {
            // Not stored, so not routed: the client's resend must be taken as new, not as a recorded message.
            recorded.RemoveAt(recorded.Count - 1);
            State.AwaitingRelease.Remove(packetId);
            throw;
        }

        await RouteDurablyAsync(packetId, MqttQoS.ExactlyOnce, message, sequence);
    }

    /// <summary>A QoS 2 PUBLISH came again for a packet id not yet released: it is not a new message.</summary>
    private async Task OnPublishAgainAsync(ushort packetId)
    {
        if (IsAwaitingSubscribers(packetId))
        {
            // Its PUBREC follows when the subscribers have it.
            return;
        }

        if (FindRecorded(packetId) is var index and >= 0 && State.RecordedPublishes![index] is { Message: { } message } recorded)
        {
            // Recorded, and its PUBREC never went out: a previous activation may have routed it to some subscribers or
            // none. Routed again with the same sequence, it reaches those that lack it.
            await RouteDurablyAsync(packetId, MqttQoS.ExactlyOnce, message, recorded.Sequence);
            return;
        }

        Send(new PubRecPacket(packetId, ReasonCode.Success, MqttProperties.Empty));
    }

    /// <summary>
    /// At the activation of a connected session: recorded PUBLISHes whose PUBREC never went out (the previous
    /// activation died or was handed over first) are routed again, and their PUBRECs follow as usual.
    /// </summary>
    private async Task RouteRecordedAgainAsync()
    {
        if (State.Connection is null || State.RecordedPublishes is not { } recorded)
        {
            return;
        }

        // By index: routing may send a PUBREC, which replaces the entry with one without the message.
        for (var i = 0; i < recorded.Count; i++)
        {
            if (recorded[i] is { Message: { } message } publish)
            {
                await RouteDurablyAsync(publish.PacketId, MqttQoS.ExactlyOnce, message, publish.Sequence);
            }
        }
    }

    /// <summary>The PUBREC of a recorded PUBLISH went out: only its id is needed from now on, until PUBREL.</summary>
    private void ForgetRecordedMessage(ushort packetId)
    {
        if (FindRecorded(packetId) is var index and >= 0 && State.RecordedPublishes![index].Message is not null)
        {
            State.RecordedPublishes[index] = State.RecordedPublishes[index] with { Message = null };
        }
    }

    private async Task OnPubRelAsync(ushort packetId)
    {
        var known = State.AwaitingRelease.Remove(packetId);
        MarkStateDirty();
        if (FindRecorded(packetId) is var index and >= 0)
        {
            State.RecordedPublishes!.RemoveAt(index);
            if (State.RecordedPublishes.Count == 0)
            {
                State.RecordedPublishes = null;
            }

            // After PUBCOMP the client may send a new message with this packet id: a stale record read back after a
            // crash would take it for the old one.
            await WriteStateAsync();
        }

        Send(new PubCompPacket(packetId, known ? ReasonCode.Success : ReasonCode.PacketIdentifierNotFound, MqttProperties.Empty));
    }

    private int FindRecorded(ushort packetId)
    {
        if (State.RecordedPublishes is { } recorded)
        {
            for (var i = 0; i < recorded.Count; i++)
            {
                if (recorded[i].PacketId == packetId)
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>Subscriber side: true when this session has or had the QoS 2 message <paramref name="receipt"/> names.</summary>
    private bool IsKnownExactlyOnce(DeliveryReceipt receipt)
    {
        ForgetExpiredCompletions();
        if (_exactlyOnceIds.Add(receipt))
        {
            return false;
        }

        _counters.MessageDropped(DropReason.Duplicate);
        return true;
    }

    /// <summary>
    /// A QoS 2 message leaves the queue or the inflight window (its client sent PUBREC, or it was dropped): its id is
    /// remembered for <c>Session:Qos2DuplicateWindow</c> from now.
    /// </summary>
    private void CompleteExactlyOnce(PendingDelivery? delivery)
    {
        if (delivery?.Receipt is not { } receipt)
        {
            return;
        }

        (State.CompletedMessages ??= new()).Enqueue(new CompletedMessage(receipt.PublisherClientId, receipt.Sequence, NowUnixMs));
        MarkStateDirty();
        ForgetExpiredCompletions();
    }

    private void ForgetExpiredCompletions()
    {
        if (State.CompletedMessages is not { } completed)
        {
            return;
        }

        var forgetUpTo = NowUnixMs - (long)_options.Qos2DuplicateWindow.TotalMilliseconds;
        while (completed.TryPeek(out var oldest) && (oldest.CompletedAtUnixMs <= forgetUpTo || completed.Count > _options.Qos2DuplicateMaxIds))
        {
            completed.Dequeue();
            _exactlyOnceIds.Remove(new DeliveryReceipt(oldest.PublisherClientId, oldest.Sequence));
            MarkStateDirty();
        }

        if (completed.Count == 0)
        {
            State.CompletedMessages = null;
        }
    }
}
