using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Sessions;

/// <summary>Between the packets a client sends or receives and the messages the broker keeps.</summary>
internal static class MessageConversions
{
    /// <summary>The message a client published; its expiry becomes absolute.</summary>
    public static BrokerMessage ToBrokerMessage(PublishPacket packet, long nowUnixMs) =>
        new(
            packet.Topic,
            packet.Payload,
            packet.QoS,
            packet.Retain,
            ForwardedProperties(packet.Properties),
            packet.Properties.MessageExpiryInterval is { } seconds ? nowUnixMs + (seconds * 1000L) : null);

    /// <summary>The will of a CONNECT.</summary>
    public static WillState ToWill(WillMessage will) =>
        new(
            new BrokerMessage(will.Topic, will.Payload, will.QoS, will.Retain, ForwardedProperties(will.Properties), null),
            will.Properties.MessageExpiryInterval,
            will.Properties.WillDelayInterval ?? 0);

    /// <summary>
    /// The PUBLISH that delivers <paramref name="delivery"/> to a <paramref name="version"/> client: v5 gets the
    /// forwarded properties, the remaining expiry interval and the subscription identifiers; v3 gets no properties.
    /// </summary>
    public static PublishPacket ToPublishPacket(PendingDelivery delivery, ushort packetId, bool dup, MqttProtocolVersion version, long nowUnixMs)
    {
        var message = delivery.Message;
        var properties = version == MqttProtocolVersion.V500 ? OutgoingProperties(delivery, nowUnixMs) : MqttProperties.Empty;
        return new PublishPacket(message.Topic, message.Payload, delivery.QoS, delivery.Retain, dup, packetId, properties);
    }

    /// <summary>True when <paramref name="message"/> has expired at <paramref name="nowUnixMs"/>.</summary>
    public static bool IsExpired(BrokerMessage message, long nowUnixMs) =>
        message.ExpiresAtUnixMs is { } expiresAt && nowUnixMs >= expiresAt;

    private static MqttProperties OutgoingProperties(PendingDelivery delivery, long nowUnixMs)
    {
        var forwarded = delivery.Message.Properties;
        uint? remaining = delivery.Message.ExpiresAtUnixMs is { } expiresAt
            ? (uint)Math.Max(1, (expiresAt - nowUnixMs + 999) / 1000)
            : null;
        if (forwarded is null && remaining is null && delivery.SubscriptionIdentifiers.Count == 0)
        {
            return MqttProperties.Empty;
        }

        return new MqttProperties
        {
            PayloadFormatIndicator = forwarded?.PayloadFormatIndicator,
            ContentType = forwarded?.ContentType,
            ResponseTopic = forwarded?.ResponseTopic,
            CorrelationData = forwarded?.CorrelationData,
            UserProperties = forwarded?.UserProperties ?? [],
            MessageExpiryInterval = remaining,
            SubscriptionIdentifiers = delivery.SubscriptionIdentifiers,
        };
    }

    private static MessageProperties? ForwardedProperties(MqttProperties properties)
    {
        if (properties.PayloadFormatIndicator is null
            && properties.ContentType is null
            && properties.ResponseTopic is null
            && properties.CorrelationData is null
            && properties.UserProperties.Count == 0)
        {
            return null;
        }

        return new MessageProperties(
            properties.PayloadFormatIndicator,
            properties.ContentType,
            properties.ResponseTopic,
            properties.CorrelationData,
            properties.UserProperties);
    }
}
