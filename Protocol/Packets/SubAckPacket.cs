using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>SUBACK: one reason code per subscription. MQTT 3 sends 0x00-0x02, and 0x80 for any code from 0x80 up.</summary>
public sealed record SubAckPacket(ushort PacketId, IReadOnlyList<ReasonCode> ReasonCodes, MqttProperties Properties) : MqttPacket
{
    private const byte V3Failure = 0x80;

    public override PacketType Type => PacketType.SubAck;

    public bool Equals(SubAckPacket? other) =>
        other is not null
        && PacketId == other.PacketId
        && ValueEquality.ListEqual(ReasonCodes, other.ReasonCodes)
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, ReasonCodes.Count, Properties);

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!PacketIdentifier.TryRead(ref reader, PacketType.SubAck, out var packetId, out error))
        {
            return false;
        }

        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, PropertyScope.SubAck, out properties, out error))
        {
            return false;
        }

        var reasonCodes = new ReasonCode[reader.Remaining];
        for (var i = 0; i < reasonCodes.Length; i++)
        {
            reader.TryRead(out var code);
            var valid = version == MqttProtocolVersion.V500
                ? ReasonCodeRules.IsValidFor(PacketType.SubAck, (ReasonCode)code)
                : code is <= (byte)ReasonCode.GrantedQoS2 or V3Failure;
            if (!valid)
            {
                error = DecodeErrors.Malformed($"reading SUBACK reason code: 0x{code:X2} is not a SUBACK reason code");
                return false;
            }

            reasonCodes[i] = (ReasonCode)code;
        }

        if (reasonCodes.Length == 0)
        {
            error = DecodeErrors.Protocol("SUBACK without a reason code");
            return false;
        }

        packet = new SubAckPacket(packetId, reasonCodes, properties);
        return true;
    }

    internal static int GetRemainingLength(SubAckPacket packet, MqttProtocolVersion version) => GetRemainingLength(packet, version, out _);

    internal static void Write(SubAckPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(packet, version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.SubAck), remainingLength);
        writer.WriteUInt16(packet.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            packet.Properties.Write(ref writer, propertiesSize);
        }

        for (var i = 0; i < packet.ReasonCodes.Count; i++)
        {
            var code = (byte)packet.ReasonCodes[i];
            writer.WriteByte(version != MqttProtocolVersion.V500 && code >= V3Failure ? V3Failure : code);
        }

        writer.Commit();
    }

    private static int GetRemainingLength(SubAckPacket packet, MqttProtocolVersion version, out int propertiesSize)
    {
        propertiesSize = version == MqttProtocolVersion.V500 ? packet.Properties.GetContentSize() : 0;
        var length = 2 + packet.ReasonCodes.Count;
        return version == MqttProtocolVersion.V500 ? length + MqttProperties.GetEncodedSize(propertiesSize) : length;
    }
}
