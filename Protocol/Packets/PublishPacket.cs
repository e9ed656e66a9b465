using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// PUBLISH. <paramref name="PacketId"/> is 0 for QoS 0. In MQTT 5 <paramref name="Topic"/> may be ""
/// when the properties carry a topic alias.
/// </summary>
public sealed record PublishPacket(string Topic, ReadOnlyMemory<byte> Payload, MqttQoS QoS, bool Retain, bool Dup, ushort PacketId, MqttProperties Properties) : MqttPacket
{
    public override PacketType Type => PacketType.Publish;

    public bool Equals(PublishPacket? other) =>
        other is not null
        && Topic == other.Topic
        && ValueEquality.BytesEqual(Payload, other.Payload)
        && QoS == other.QoS
        && Retain == other.Retain
        && Dup == other.Dup
        && PacketId == other.PacketId
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(Topic, Payload.Length, QoS, Retain, Dup, PacketId, Properties);

    /// <param name="reader">The packet body.</param>
    /// <param name="flags">The fixed header flags, already checked for QoS 3 and DUP with QoS 0.</param>
    /// <param name="version">The connection's version.</param>
    /// <param name="packet">The packet, its payload copied into a new array.</param>
    /// <param name="error">Why the packet was refused.</param>
    internal static bool Read(ref SequenceReader<byte> reader, int flags, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        var qos = (MqttQoS)((flags >> 1) & 0b11);
        if (!Utf8Field.TryRead(ref reader, "topic name", out var topic, out error))
        {
            return false;
        }

        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            error = DecodeErrors.Refused(ReasonCode.TopicNameInvalid, "topic name invalid: contains a wildcard");
            return false;
        }

        ushort packetId = 0;
        if (qos != MqttQoS.AtMostOnce && !PacketIdentifier.TryRead(ref reader, PacketType.Publish, out packetId, out error))
        {
            return false;
        }

        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, PropertyScope.Publish, out properties, out error))
        {
            return false;
        }

        if (topic.Length == 0 && properties.TopicAlias is null)
        {
            error = version == MqttProtocolVersion.V500
                ? DecodeErrors.Protocol("topic name is empty and there is no topic alias")
                : DecodeErrors.Refused(ReasonCode.TopicNameInvalid, "topic name invalid: empty");
            return false;
        }

        var payload = BinaryField.CopyToEnd(ref reader);
        packet = new PublishPacket(topic, payload, qos, (flags & FixedHeader.PublishRetain) != 0, (flags & FixedHeader.PublishDup) != 0, packetId, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) => GetRemainingLength(version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesSize);
        var flags = ((int)QoS << 1) | (Dup ? FixedHeader.PublishDup : 0) | (Retain ? FixedHeader.PublishRetain : 0);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.Publish, flags), remainingLength, Payload.Length);
        writer.WriteString(Topic);
        if (QoS != MqttQoS.AtMostOnce)
        {
            writer.WriteUInt16(PacketId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer, propertiesSize);
        }

        writer.CommitWithPayload(Payload.Span);
    }

    private int GetRemainingLength(MqttProtocolVersion version, out int propertiesSize)
    {
        var length = Utf8Field.GetSize(Topic) + Payload.Length;
        if (QoS != MqttQoS.AtMostOnce)
        {
            length += 2;
        }

        propertiesSize = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesSize = Properties.GetContentSize();
            length += MqttProperties.GetEncodedSize(propertiesSize);
        }

        return length;
    }
}
