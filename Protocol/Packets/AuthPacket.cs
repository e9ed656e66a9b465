using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>AUTH (MQTT 5 only): Success, ContinueAuthentication or ReAuthenticate.</summary>
public sealed record AuthPacket(ReasonCode ReasonCode, MqttProperties Properties) : MqttPacket
{
    public override PacketType Type => PacketType.Auth;

    internal static bool Read(ref SequenceReader<byte> reader, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        error = null;
        var reasonCode = ReasonCode.Success;
        var properties = MqttProperties.Empty;
        if (!reader.End && !ReasonCodeRules.TryRead(ref reader, PacketType.Auth, out reasonCode, out error))
        {
            return false;
        }

        if (!reader.End && !MqttProperties.TryRead(ref reader, PropertyScope.Auth, out properties, out error))
        {
            return false;
        }

        packet = new AuthPacket(reasonCode, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) => GetRemainingLength(version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.Auth), remainingLength);
        if (remainingLength > 0)
        {
            writer.WriteByte((byte)ReasonCode);
            Properties.Write(ref writer, propertiesSize);
        }

        writer.Commit();
    }

    private int GetRemainingLength(MqttProtocolVersion version, out int propertiesSize)
    {
        if (version != MqttProtocolVersion.V500)
        {
            throw new ArgumentException("AUTH exists only in MQTT 5.", nameof(version));
        }

        propertiesSize = Properties.GetContentSize();
        return ReasonCode == ReasonCode.Success && propertiesSize == 0 ? 0 : 1 + MqttProperties.GetEncodedSize(propertiesSize);
    }
}
