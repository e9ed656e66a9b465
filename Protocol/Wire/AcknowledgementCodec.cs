using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// The shared layout of PUBACK, PUBREC, PUBREL and PUBCOMP: packet identifier, then in MQTT 5 a reason
/// code and properties, both left out when they are Success and none.
/// </summary>
internal static class AcknowledgementCodec
{
    public static bool TryRead(ref SequenceReader<byte> reader, PacketType type, MqttProtocolVersion version, out ushort packetId, out ReasonCode code, out MqttProperties properties, [NotNullWhen(false)] out DecodeError? error)
    {
        code = ReasonCode.Success;
        properties = MqttProperties.Empty;
        if (!PacketIdentifier.TryRead(ref reader, type, out packetId, out error))
        {
            return false;
        }

        if (version != MqttProtocolVersion.V500 || reader.End)
        {
            return true;
        }

        if (!ReasonCodeRules.TryRead(ref reader, type, out code, out error))
        {
            return false;
        }

        return reader.End || MqttProperties.TryRead(ref reader, PropertyScope.Acknowledgement, out properties, out error);
    }

    public static int GetRemainingLength(ReasonCode code, MqttProperties properties, MqttProtocolVersion version, out int propertiesSize)
    {
        propertiesSize = version == MqttProtocolVersion.V500 ? properties.GetContentSize() : 0;
        if (version != MqttProtocolVersion.V500 || (code == ReasonCode.Success && propertiesSize == 0))
        {
            return 2;
        }

        return propertiesSize == 0 ? 3 : 3 + MqttProperties.GetEncodedSize(propertiesSize);
    }

    public static void Write(IBufferWriter<byte> output, PacketType type, ushort packetId, ReasonCode code, MqttProperties properties, MqttProtocolVersion version)
    {
        var remainingLength = GetRemainingLength(code, properties, version, out var propertiesSize);
        var flags = type == PacketType.PubRel ? FixedHeader.RequiredFlags : 0;
        var writer = new PacketWriter(output, FixedHeader.FirstByte(type, flags), remainingLength);
        writer.WriteUInt16(packetId);
        if (remainingLength > 2)
        {
            writer.WriteByte((byte)code);
        }

        if (remainingLength > 3)
        {
            properties.Write(ref writer, propertiesSize);
        }

        writer.Commit();
    }
}
