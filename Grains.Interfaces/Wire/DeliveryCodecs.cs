using System.Buffers;
using GrainMQ.Protocol;
using GrainMQ.Runtime.Cluster;

namespace GrainMQ.Grains.Interfaces.Wire;

/// <summary>
/// <see cref="DeliverMessage"/> (one per subscriber and PUBLISH): the broker message (topic, payload, QoS, retain,
/// expiry, properties), then the per-subscriber part (QoS, retain as published, subscription identifiers, receipt).
/// </summary>
internal sealed class DeliverMessageCodec : IClusterMessageCodec
{
    public void Write(object message, IBufferWriter<byte> output)
    {
        var deliver = (DeliverMessage)message;
        var broker = deliver.Message;
        WireFormat.WriteString(output, broker.Topic);
        WireFormat.WriteBytes(output, broker.Payload.Span);
        WireFormat.WriteByte(output, (byte)((int)broker.QoS | (broker.Retain ? 0x04 : 0) | (broker.ExpiresAtUnixMs is null ? 0 : 0x08) | (broker.Properties is null ? 0 : 0x10)));
        if (broker.ExpiresAtUnixMs is { } expires)
        {
            WireFormat.WriteInt64(output, expires);
        }

        if (broker.Properties is { } properties)
        {
            WriteProperties(output, properties);
        }

        WireFormat.WriteByte(output, (byte)((int)deliver.QoS | (deliver.RetainAsPublished ? 0x04 : 0) | (deliver.Receipt is null ? 0 : 0x08)));
        WireFormat.WriteInt32(output, deliver.SubscriptionIdentifiers.Count);
        foreach (var identifier in deliver.SubscriptionIdentifiers)
        {
            WireFormat.WriteInt32(output, (int)identifier);
        }

        if (deliver.Receipt is { } receipt)
        {
            WireFormat.WriteString(output, receipt.PublisherClientId);
            WireFormat.WriteInt64(output, receipt.Sequence);
        }
    }

    public object Read(ReadOnlySpan<byte> input)
    {
        var topic = WireFormat.ReadRequiredString(ref input);
        var payload = WireFormat.ReadBytes(ref input) ?? [];
        var flags = WireFormat.ReadByte(ref input);
        long? expires = (flags & 0x08) != 0 ? WireFormat.ReadInt64(ref input) : null;
        var properties = (flags & 0x10) != 0 ? ReadProperties(ref input) : null;
        var broker = new BrokerMessage(topic, payload, QoS(flags), (flags & 0x04) != 0, properties, expires);
        var delivery = WireFormat.ReadByte(ref input);
        var count = WireFormat.ReadInt32(ref input);
        if (count < 0 || count > input.Length / 4)
        {
            throw new InvalidDataException("malformed delivery: bad identifier count");
        }

        var identifiers = new uint[count];
        for (var i = 0; i < count; i++)
        {
            identifiers[i] = (uint)WireFormat.ReadInt32(ref input);
        }

        var receipt = (delivery & 0x08) != 0
            ? new DeliveryReceipt(WireFormat.ReadRequiredString(ref input), WireFormat.ReadInt64(ref input))
            : null;
        return new DeliverMessage(broker, QoS(delivery), (delivery & 0x04) != 0, identifiers, receipt);
    }

    private static MqttQoS QoS(byte flags) =>
        (flags & 0x03) is var qos and <= 2 ? (MqttQoS)qos : throw new InvalidDataException("malformed delivery: QoS 3");

    private static void WriteProperties(IBufferWriter<byte> output, MessageProperties properties)
    {
        WireFormat.WriteInt32(output, properties.PayloadFormatIndicator ?? -1);
        WireFormat.WriteString(output, properties.ContentType);
        WireFormat.WriteString(output, properties.ResponseTopic);
        if (properties.CorrelationData is { } correlation)
        {
            WireFormat.WriteBytes(output, correlation.Span);
        }
        else
        {
            WireFormat.WriteInt32(output, -1);
        }

        WireFormat.WriteInt32(output, properties.UserProperties.Count);
        foreach (var property in properties.UserProperties)
        {
            WireFormat.WriteString(output, property.Name);
            WireFormat.WriteString(output, property.Value);
        }
    }

    private static MessageProperties ReadProperties(ref ReadOnlySpan<byte> input)
    {
        var format = WireFormat.ReadInt32(ref input);
        var contentType = WireFormat.ReadString(ref input);
        var responseTopic = WireFormat.ReadString(ref input);
        var correlation = WireFormat.ReadBytes(ref input);
        var count = WireFormat.ReadInt32(ref input);
        if (count < 0 || count > input.Length / 8)
        {
            throw new InvalidDataException("malformed delivery: bad user property count");
        }

        var userProperties = new UserProperty[count];
        for (var i = 0; i < count; i++)
        {
            userProperties[i] = new UserProperty(WireFormat.ReadRequiredString(ref input), WireFormat.ReadRequiredString(ref input));
        }

        return new MessageProperties(
            format < 0 ? null : (byte)format,
            contentType,
            responseTopic,
            correlation is null ? null : new ReadOnlyMemory<byte>(correlation),
            userProperties);
    }
}

/// <summary><see cref="DeliveryAcknowledged"/>: sequence, subscriber.</summary>
internal sealed class DeliveryAcknowledgedCodec : IClusterMessageCodec
{
    public void Write(object message, IBufferWriter<byte> output)
    {
        var acknowledged = (DeliveryAcknowledged)message;
        WireFormat.WriteInt64(output, acknowledged.Sequence);
        WireFormat.WriteString(output, acknowledged.SubscriberClientId);
    }

    public object Read(ReadOnlySpan<byte> input) =>
        new DeliveryAcknowledged(WireFormat.ReadInt64(ref input), WireFormat.ReadRequiredString(ref input));
}

/// <summary><see cref="PacketHandled"/>, the reply to every <see cref="SessionPacket"/>: no bytes at all.</summary>
internal sealed class PacketHandledCodec : IClusterMessageCodec
{
    public void Write(object message, IBufferWriter<byte> output)
    {
    }

    public object Read(ReadOnlySpan<byte> input) => PacketHandled.Instance;
}
