using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>The protocol name and level that open CONNECT: "MQIsdp" 3, "MQTT" 4 or "MQTT" 5.</summary>
internal static class ProtocolName
{
    private const string Mqtt = "MQTT";
    private const string MqIsdp = "MQIsdp";

    public static bool TryRead(ref SequenceReader<byte> reader, out MqttProtocolVersion version, [NotNullWhen(false)] out DecodeError? error)
    {
        version = MqttProtocolVersion.V311;
        string name;
        if (reader.IsNext("\0\u0004MQTT"u8, advancePast: true))
        {
            name = Mqtt;
        }
        else if (reader.IsNext("\0\u0006MQIsdp"u8, advancePast: true))
        {
            name = MqIsdp;
        }
        else
        {
            if (Utf8Field.TryRead(ref reader, "protocol name", out var other, out error))
            {
                error = new DecodeError(ReasonCode.UnsupportedProtocolVersion, $"unsupported protocol: name \"{other}\"", ConnectReturnCode.UnacceptableProtocolVersion);
            }

            return false;
        }

        if (!reader.TryRead(out var level))
        {
            error = DecodeErrors.Truncated("protocol level");
            return false;
        }

        version = (MqttProtocolVersion)level;
        var supported = name == MqIsdp ? version == MqttProtocolVersion.V310 : version is MqttProtocolVersion.V311 or MqttProtocolVersion.V500;
        error = supported ? null : new DecodeError(ReasonCode.UnsupportedProtocolVersion, $"unsupported protocol: \"{name}\" level {level}", ConnectReturnCode.UnacceptableProtocolVersion, FrameIntact: true);
        return supported;
    }

    /// <summary>Bytes of the name (with its length prefix) and the level.</summary>
    public static int GetSize(MqttProtocolVersion version) => 2 + (version == MqttProtocolVersion.V310 ? MqIsdp.Length : Mqtt.Length) + 1;

    public static void Write(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteString(version == MqttProtocolVersion.V310 ? MqIsdp : Mqtt);
        writer.WriteByte((byte)version);
    }
}
