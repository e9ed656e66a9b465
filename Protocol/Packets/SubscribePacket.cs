using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// SUBSCRIBE: at least one subscription. Filters are decoded whether or not they are valid topic filters (the broker
/// answers an invalid one in SUBACK); <see cref="TopicValidation.IsValidTopicFilter"/> tells them apart.
/// </summary>
public sealed record SubscribePacket(ushort PacketId, IReadOnlyList<TopicSubscription> Subscriptions, MqttProperties Properties) : MqttPacket
{
    private const byte QoSMask = 0b0000_0011;
    private const byte NoLocalFlag = 0b0000_0100;
    private const byte RetainAsPublishedFlag = 0b0000_1000;
    private const int RetainHandlingShift = 4;
    private const byte V5ReservedBits = 0b1100_0000;
    private const byte V3ReservedBits = 0b1111_1100;

    public override PacketType Type => PacketType.Subscribe;

    public bool Equals(SubscribePacket? other) =>
        other is not null
        && PacketId == other.PacketId
        && ValueEquality.ListEqual(Subscriptions, other.Subscriptions)
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, Subscriptions.Count, Properties);

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!PacketIdentifier.TryRead(ref reader, PacketType.Subscribe, out var packetId, out error))
        {
            return false;
        }

        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, PropertyScope.Subscribe, out properties, out error))
        {
            return false;
        }

        var subscriptions = new List<TopicSubscription>(1);
        while (!reader.End)
        {
            if (!TryReadSubscription(ref reader, version, out var subscription, out error))
            {
                return false;
            }

            subscriptions.Add(subscription);
        }

        if (subscriptions.Count == 0)
        {
            error = DecodeErrors.Protocol("SUBSCRIBE without a topic filter");
            return false;
        }

        packet = new SubscribePacket(packetId, subscriptions, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) => GetRemainingLength(version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.Subscribe, FixedHeader.RequiredFlags), remainingLength);
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer, propertiesSize);
        }

        for (var i = 0; i < Subscriptions.Count; i++)
        {
            var subscription = Subscriptions[i];
            writer.WriteString(subscription.Filter);
            var options = (int)subscription.QoS;
            if (version == MqttProtocolVersion.V500)
            {
                options |= (subscription.NoLocal ? NoLocalFlag : 0)
                    | (subscription.RetainAsPublished ? RetainAsPublishedFlag : 0)
                    | ((int)subscription.RetainHandling << RetainHandlingShift);
            }

            writer.WriteByte((byte)options);
        }

        writer.Commit();
    }

    private static bool TryReadSubscription(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out TopicSubscription? subscription, [NotNullWhen(false)] out DecodeError? error)
    {
        subscription = null;
        if (!Utf8Field.TryRead(ref reader, "topic filter", out var filter, out error))
        {
            return false;
        }

        if (!reader.TryRead(out var options))
        {
            error = DecodeErrors.Truncated("subscription options");
            return false;
        }

        var reserved = version == MqttProtocolVersion.V500 ? V5ReservedBits : V3ReservedBits;
        if ((options & reserved) != 0)
        {
            error = DecodeErrors.Malformed("reading subscription options: reserved bits set");
            return false;
        }

        var qos = options & QoSMask;
        if (qos == 3)
        {
            error = DecodeErrors.Malformed("reading subscription options: QoS 3");
            return false;
        }

        var retainHandling = options >> RetainHandlingShift;
        if (retainHandling == 3)
        {
            error = DecodeErrors.Protocol("subscription options: retain handling 3");
            return false;
        }

        // A filter that is well-formed UTF-8 but not a valid topic filter is decoded all the same: the refusal is
        // per subscription (SUBACK 0x8F; 0x80 in MQTT 3), and the connection lives.
        var noLocal = (options & NoLocalFlag) != 0;
        if (noLocal && TopicValidation.TryParseShared(filter, out _, out _))
        {
            error = DecodeErrors.Protocol("no local set on a shared subscription");
            return false;
        }

        subscription = new TopicSubscription(filter, (MqttQoS)qos, noLocal, (options & RetainAsPublishedFlag) != 0, (RetainHandling)retainHandling);
        return true;
    }

    private int GetRemainingLength(MqttProtocolVersion version, out int propertiesSize)
    {
        var length = 2;
        propertiesSize = 0;
        if (version == MqttProtocolVersion.V500)
        {
            propertiesSize = Properties.GetContentSize();
            length += MqttProperties.GetEncodedSize(propertiesSize);
        }

        for (var i = 0; i < Subscriptions.Count; i++)
        {
            length += Utf8Field.GetSize(Subscriptions[i].Filter) + 1;
        }

        return length;
    }
}
