using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Grains.Sessions;

// Packets from the client: PUBLISH (routed, but never to the broker's $SYS topics; QoS 2 ids remembered until
// PUBREL so a duplicate is not routed as a new message, see SessionGrain.ExactlyOnce.cs), the acknowledgements of outbound exchanges, SUBSCRIBE (topic grain first, then SUBACK, then retained
// messages) and UNSUBSCRIBE.
internal sealed partial class SessionGrain
{
    private const string BrokerTopicRoot = "$SYS";
    private const string BrokerTopicPrefix = "$SYS/";

    private Task OnPacketAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return OnPublishAsync(publish);
            case PubAckPacket ack:
                OnPubAck(ack.PacketId);
                break;
            case PubRecPacket received:
                OnPubRec(received);
                break;
            case PubRelPacket release:
                return OnPubRelAsync(release.PacketId);
            case PubCompPacket complete:
                OnPubComp(complete.PacketId);
                break;
            case SubscribePacket subscribe:
                return OnSubscribeAsync(subscribe);
            case UnsubscribePacket unsubscribe:
                return OnUnsubscribeAsync(unsubscribe);
            default:
                LogUnexpectedPacket(Logger, ClientId, packet.Type.ToString());
                break;
        }

        return Task.CompletedTask;
    }

    private async Task OnPublishAsync(PublishPacket publish)
    {
        _counters.MessageReceived();
        if (IsBrokerTopic(publish.Topic))
        {
            RefuseBrokerTopic(publish);
            return;
        }

        if (publish.QoS == MqttQoS.ExactlyOnce && !State.AwaitingRelease.Add(publish.PacketId))
        {
            // A resent QoS 2 PUBLISH whose first copy was already taken: not a new message.
            await OnPublishAgainAsync(publish.PacketId);
            return;
        }

        var message = MessageConversions.ToBrokerMessage(publish, NowUnixMs);
        if (IsDurableAck(publish))
        {
            await (publish.QoS == MqttQoS.ExactlyOnce && RecordsPublishes
                ? PublishRecordedAsync(publish.PacketId, message)
                : PublishDurablyAsync(publish, message));
            return;
        }

        var deliveries = await _router.PublishAsync(message, ClientId);
        var reason = deliveries == 0 && State.ProtocolVersion == MqttProtocolVersion.V500
            ? ReasonCode.NoMatchingSubscribers
            : ReasonCode.Success;
        switch (publish.QoS)
        {
            case MqttQoS.AtLeastOnce:
                Send(new PubAckPacket(publish.PacketId, reason, MqttProperties.Empty));
                break;
            case MqttQoS.ExactlyOnce:
                MarkStateDirty();
                Send(new PubRecPacket(publish.PacketId, reason, MqttProperties.Empty));
                break;
        }
    }

    /// <summary>$SYS/ topics are the broker's own statistics: a client may not publish (or retain) there.</summary>
    private static bool IsBrokerTopic(string topic) =>
        topic.StartsWith(BrokerTopicPrefix, StringComparison.Ordinal) || topic.Equals(BrokerTopicRoot, StringComparison.Ordinal);

    /// <summary>
    /// Drops a PUBLISH to a $SYS topic. MQTT 5 QoS 1/2 is answered Not Authorized (0x87); MQTT 3 has no negative
    /// acknowledgement, so its QoS 1/2 flow completes as usual (the message still goes nowhere).
    /// </summary>
    private void RefuseBrokerTopic(PublishPacket publish)
    {
        LogBrokerTopicRefused(Logger, ClientId, publish.Topic);
        _counters.MessageDropped(DropReason.NotAuthorized);
        if (publish.QoS == MqttQoS.AtMostOnce)
        {
            return;
        }

        var v5 = State.ProtocolVersion == MqttProtocolVersion.V500;
        if (publish.QoS == MqttQoS.ExactlyOnce && !v5 && State.AwaitingRelease.Add(publish.PacketId))
        {
            MarkStateDirty();
        }

        var reason = v5 ? ReasonCode.NotAuthorized : ReasonCode.Success;
        if (_options.AcknowledgeAfterPersist)
        {
            // Acknowledgements leave in the order the PUBLISHes came: this one waits behind those still pending.
            _pendingPublishes.Enqueue(new PendingPublish(publish.PacketId, publish.QoS, ++_publishSequence, Environment.TickCount64) { ReasonCode = reason });
            AcknowledgeCompletedPublishes();
        }
        else if (publish.QoS == MqttQoS.AtLeastOnce)
        {
            Send(new PubAckPacket(publish.PacketId, reason, MqttProperties.Empty));
        }
        else
        {
            Send(new PubRecPacket(publish.PacketId, reason, MqttProperties.Empty));
        }
    }

    private void OnPubAck(ushort packetId)
    {
        var index = FindInflight(packetId);
        if (index < 0 || State.Inflight[index].Stage != InflightStage.AwaitingPubAck)
        {
            LogUnknownPacketId(Logger, ClientId, "PUBACK", packetId);
            return;
        }

        RemoveInflightAt(index);
        FillWindow();
    }

    private void OnPubRec(PubRecPacket received)
    {
        var index = FindInflight(received.PacketId);
        if (index < 0 || State.Inflight[index].Stage == InflightStage.AwaitingPubAck)
        {
            Send(new PubRelPacket(received.PacketId, ReasonCode.PacketIdentifierNotFound, MqttProperties.Empty));
            return;
        }

        if ((byte)received.ReasonCode >= 0x80)
        {
            // The client refused the message: the exchange ends here.
            RemoveInflightAt(index);
            FillWindow();
            return;
        }

        CompleteExactlyOnce(State.Inflight[index].Delivery);
        State.Inflight[index] = new InflightMessage(received.PacketId, InflightStage.AwaitingPubComp, null);
        MarkStateDirty();
        SendPubRel(received.PacketId);
    }

    private void OnPubComp(ushort packetId)
    {
        var index = FindInflight(packetId);
        if (index < 0 || State.Inflight[index].Stage != InflightStage.AwaitingPubComp)
        {
            LogUnknownPacketId(Logger, ClientId, "PUBCOMP", packetId);
            return;
        }

        RemoveInflightAt(index);
        FillWindow();
    }

    private async Task OnSubscribeAsync(SubscribePacket subscribe)
    {
        var subscriptionId = subscribe.Properties.SubscriptionIdentifiers.Count > 0 ? subscribe.Properties.SubscriptionIdentifiers[0] : 0;
        var count = subscribe.Subscriptions.Count;
        var reasonCodes = new ReasonCode[count];
        var isNew = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var request = subscribe.Subscriptions[i];
            // The codec decodes invalid filters so that each is refused on its own (0x80 in MQTT 3) and the
            // connection lives.
            if (!TopicValidation.IsValidTopicFilter(request.Filter))
            {
                reasonCodes[i] = ReasonCode.TopicFilterInvalid;
                continue;
            }

            if (request.NoLocal && TopicValidation.TryParseShared(request.Filter, out _, out _))
            {
                // MQTT 5 3.8.3.1: No Local on a shared subscription is a protocol error. The codec refuses it already;
                // the session keeps its own rule for packets that reach it by another way (another gateway process).
                LogProtocolError(Logger, ClientId, "No Local on a shared subscription");
                MarkStateDirty();
                Send(new CloseConnection(ReasonCode.ProtocolError, "No Local is not allowed on a shared subscription"));
                return;
            }

            var granted = (MqttQoS)Math.Min((int)request.QoS, _options.MaxQoS);
            var options = new SubscriptionOptions(granted, request.NoLocal, request.RetainAsPublished, request.RetainHandling, subscriptionId);
            isNew[i] = !State.Subscriptions.ContainsKey(request.Filter);
            await GrainFactory.GetGrain(GrainTypes.Topic, request.Filter).AskAsync(new TopicSubscribe(ClientId, options));
            State.Subscriptions[request.Filter] = options;
            reasonCodes[i] = (ReasonCode)(byte)granted;
        }

        await WriteStateAsync();
        if (!Send(new SubAckPacket(subscribe.PacketId, reasonCodes, MqttProperties.Empty)))
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            if ((byte)reasonCodes[i] < 0x80)
            {
                SendRetained(subscribe.Subscriptions[i].Filter, isNew[i]);
            }
        }
    }

    /// <summary>Delivers the retained messages matching a subscription, as its retain handling asks (none for shared subscriptions).</summary>
    private void SendRetained(string filter, bool isNew)
    {
        var options = State.Subscriptions[filter];
        if (options.RetainHandling == RetainHandling.DoNotSend
            || (options.RetainHandling == RetainHandling.SendAtSubscribeIfNew && !isNew)
            || TopicValidation.TryParseShared(filter, out _, out _))
        {
            return;
        }

        var retained = new List<BrokerMessage>();
        _retainedIndex.Find(filter, retained);
        IReadOnlyList<uint> identifiers = options.SubscriptionIdentifier == 0 ? [] : [options.SubscriptionIdentifier];
        var now = NowUnixMs;
        foreach (var message in retained)
        {
            if (MessageConversions.IsExpired(message, now))
            {
                _counters.MessageDropped(DropReason.Expired);
                GrainFactory.GetGrain(GrainTypes.Retained, message.Topic).Tell(RemoveExpiredRetainedMessage.Instance);
                continue;
            }

            var qos = message.QoS < options.QoS ? message.QoS : options.QoS;
            Deliver(new PendingDelivery(message, qos, Retain: true, identifiers));
        }
    }

    private async Task OnUnsubscribeAsync(UnsubscribePacket unsubscribe)
    {
        var reasonCodes = new ReasonCode[unsubscribe.Filters.Count];
        for (var i = 0; i < reasonCodes.Length; i++)
        {
            var filter = unsubscribe.Filters[i];
            if (!TopicValidation.IsValidTopicFilter(filter))
            {
                reasonCodes[i] = ReasonCode.TopicFilterInvalid;
            }
            else if (State.Subscriptions.Remove(filter))
            {
                await GrainFactory.GetGrain(GrainTypes.Topic, filter).AskAsync(new TopicUnsubscribe(ClientId));
                reasonCodes[i] = ReasonCode.Success;
            }
            else
            {
                reasonCodes[i] = ReasonCode.NoSubscriptionExisted;
            }
        }

        await WriteStateAsync();
        Send(new UnsubAckPacket(unsubscribe.PacketId, reasonCodes, MqttProperties.Empty));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {ClientId} may not publish to the broker's topic {Topic}; dropped")]
    private static partial void LogBrokerTopicRefused(ILogger logger, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {ClientId} closes its connection: protocol error ({Detail})")]
    private static partial void LogProtocolError(ILogger logger, string clientId, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {ClientId} got {Packet} for unknown packet id {PacketId}")]
    private static partial void LogUnknownPacketId(ILogger logger, string clientId, string packet, ushort packetId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {ClientId} got an unexpected {PacketType} packet")]
    private static partial void LogUnexpectedPacket(ILogger logger, string clientId, string packetType);
}
