using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// UNSUBSCRIBE: at least one topic filter. Filters are decoded whether or not they are valid topic filters (the broker
/// answers an invalid one in UNSUBACK with 0x8F).
/// </summary>
public sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters, MqttProperties Properties) : MqttPacket
{
    public override PacketType Type => PacketType.Unsubscribe;

    public bool Equals(UnsubscribePacket? other) =>
        other is not null
        && PacketId == other.PacketId
        && ValueEquality.ListEqual(Filters, other.Filters)
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, Filters.Count, Properties);

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!PacketIdentifier.TryRead(ref reader, PacketType.Unsubscribe, out var packetId, out error))
        {
            return false;
        }

        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, PropertyScope.Unsubscribe, out properties, out error))
        {
            return false;
        }

        var filters = new List<string>(1);
        while (!reader.End)
        {
            if (!Utf8Field.TryRead(ref reader, "topic filter", out var filter, out error))
            {
                return false;
            }

            filters.Add(filter);
        }

        if (filters.Count == 0)
        {
            error = DecodeErrors.Protocol("UNSUBSCRIBE without a topic filter");
            return false;
        }

        packet = new UnsubscribePacket(packetId, filters, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) => GetRemainingLength(version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.Unsubscribe, FixedHeader.RequiredFlags), remainingLength);
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer, propertiesSize);
        }

        for (var i = 0; i < Filters.Count; i++)
        {
            writer.WriteString(Filters[i]);
        }

        writer.Commit();
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

        for (var i = 0; i < Filters.Count; i++)
        {
            length += Utf8Field.GetSize(Filters[i]);
        }

        return length;
    }
}
