using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// The shared layout of SUBACK and UNSUBACK: packet identifier, in MQTT 5 properties, then one reason code a byte to
/// the end of the packet, at least one. MQTT 3's SUBACK carries return codes 0x00-0x02 and 0x80 (any code from 0x80
/// up is sent as 0x80); MQTT 3's UNSUBACK carries nothing after the packet identifier.
/// </summary>
internal static class ReasonCodeListCodec
{
    private const byte V3Failure = 0x80;

    public static bool TryRead(ref SequenceReader<byte> reader, PacketType type, MqttProtocolVersion version, out ushort packetId, out ReasonCode[] codes, out MqttProperties properties, [NotNullWhen(false)] out DecodeError? error)
    {
        codes = [];
        properties = MqttProperties.Empty;
        if (!PacketIdentifier.TryRead(ref reader, type, out packetId, out error))
        {
            return false;
        }

        if (!CarriesCodes(type, version))
        {
            return true;
        }

        var scope = type == PacketType.SubAck ? PropertyScope.SubAck : PropertyScope.UnsubAck;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, scope, out properties, out error))
        {
            return false;
        }

        var read = new ReasonCode[reader.Remaining];
        for (var i = 0; i < read.Length; i++)
        {
            reader.TryRead(out var value);
            var valid = version == MqttProtocolVersion.V500
                ? ReasonCodeRules.IsValidFor(type, (ReasonCode)value)
                : value is <= (byte)ReasonCode.GrantedQoS2 or V3Failure;
            if (!valid)
            {
                error = ReasonCodeRules.NotAReasonCode(type, value);
                return false;
            }

            read[i] = (ReasonCode)value;
        }

        if (read.Length == 0)
        {
            error = DecodeErrors.Protocol(FixedHeader.Name(type) + " without a reason code");
            return false;
        }

        codes = read;
        return true;
    }

    public static int GetRemainingLength(PacketType type, int codeCount, MqttProperties properties, MqttProtocolVersion version, out int propertiesSize)
    {
        propertiesSize = version == MqttProtocolVersion.V500 ? properties.GetContentSize() : 0;
        var length = 2 + (CarriesCodes(type, version) ? codeCount : 0);
        return version == MqttProtocolVersion.V500 ? length + MqttProperties.GetEncodedSize(propertiesSize) : length;
    }

    public static void Write(IBufferWriter<byte> output, PacketType type, ushort packetId, IReadOnlyList<ReasonCode> codes, MqttProperties properties, MqttProtocolVersion version)
    {
        var remainingLength = GetRemainingLength(type, codes.Count, properties, version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(type), remainingLength);
        writer.WriteUInt16(packetId);
        if (version == MqttProtocolVersion.V500)
        {
            properties.Write(ref writer, propertiesSize);
        }

        if (CarriesCodes(type, version))
        {
            for (var i = 0; i < codes.Count; i++)
            {
                var code = (byte)codes[i];
                writer.WriteByte(version != MqttProtocolVersion.V500 && code >= V3Failure ? V3Failure : code);
            }
        }

        writer.Commit();
    }

    private static bool CarriesCodes(PacketType type, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500 || type == PacketType.SubAck;
}
