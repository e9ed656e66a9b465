using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>UNSUBACK: one reason code per topic filter in MQTT 5; MQTT 3 has no payload (decoded with an empty list).</summary>
public sealed record UnsubAckPacket(ushort PacketId, IReadOnlyList<ReasonCode> ReasonCodes, MqttProperties Properties) : MqttPacket
{
    public override PacketType Type => PacketType.UnsubAck;

    public bool Equals(UnsubAckPacket? other) =>
        other is not null
        && PacketId == other.PacketId
        && ValueEquality.ListEqual(ReasonCodes, other.ReasonCodes)
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, ReasonCodes.Count, Properties);

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!PacketIdentifier.TryRead(ref reader, PacketType.UnsubAck, out var packetId, out error))
        {
            return false;
        }

        if (version != MqttProtocolVersion.V500)
        {
            packet = new UnsubAckPacket(packetId, [], MqttProperties.Empty);
            return true;
        }

        if (!MqttProperties.TryRead(ref reader, PropertyScope.UnsubAck, out var properties, out error))
        {
            return false;
        }

        var reasonCodes = new ReasonCode[reader.Remaining];
        for (var i = 0; i < reasonCodes.Length; i++)
        {
            if (!ReasonCodeRules.TryRead(ref reader, PacketType.UnsubAck, out reasonCodes[i], out error))
            {
                return false;
            }
        }

        if (reasonCodes.Length == 0)
        {
            error = DecodeErrors.Protocol("UNSUBACK without a reason code");
            return false;
        }

        packet = new UnsubAckPacket(packetId, reasonCodes, properties);
        return true;
    }

    internal static int GetRemainingLength(UnsubAckPacket packet, MqttProtocolVersion version) => GetRemainingLength(packet, version, out _);

    internal static void Write(UnsubAckPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(packet, version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.UnsubAck), remainingLength);
        writer.WriteUInt16(packet.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            packet.Properties.Write(ref writer, propertiesSize);
            for (var i = 0; i < packet.ReasonCodes.Count; i++)
            {
                writer.WriteByte((byte)packet.ReasonCodes[i]);
            }
        }

        writer.Commit();
    }

    private static int GetRemainingLength(UnsubAckPacket packet, MqttProtocolVersion version, out int propertiesSize)
    {
        propertiesSize = 0;
        if (version != MqttProtocolVersion.V500)
        {
            return 2;
        }

        propertiesSize = packet.Properties.GetContentSize();
        return 2 + MqttProperties.GetEncodedSize(propertiesSize) + packet.ReasonCodes.Count;
    }
}
