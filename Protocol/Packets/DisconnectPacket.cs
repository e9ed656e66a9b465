using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>DISCONNECT. MQTT 3 sends neither reason code nor properties (decoded as <see cref="ReasonCode.NormalDisconnection"/>).</summary>
public sealed record DisconnectPacket(ReasonCode ReasonCode, MqttProperties Properties) : MqttPacket
{
    private static readonly DisconnectPacket Normal = new(ReasonCode.NormalDisconnection, MqttProperties.Empty);

    public override PacketType Type => PacketType.Disconnect;

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        error = null;
        if (version != MqttProtocolVersion.V500 || reader.End)
        {
            packet = Normal;
            return true;
        }

        if (!ReasonCodeRules.TryRead(ref reader, PacketType.Disconnect, out var reasonCode, out error))
        {
            return false;
        }

        var properties = MqttProperties.Empty;
        if (!reader.End && !MqttProperties.TryRead(ref reader, PropertyScope.Disconnect, out properties, out error))
        {
            return false;
        }

        packet = new DisconnectPacket(reasonCode, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) =>
        GetRemainingLength(version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.Disconnect), remainingLength);
        if (remainingLength > 0)
        {
            writer.WriteByte((byte)ReasonCode);
        }

        if (remainingLength > 1)
        {
            Properties.Write(ref writer, propertiesSize);
        }

        writer.Commit();
    }

    private int GetRemainingLength(MqttProtocolVersion version, out int propertiesSize)
    {
        propertiesSize = 0;
        if (version != MqttProtocolVersion.V500)
        {
            return 0;
        }

        propertiesSize = Properties.GetContentSize();
        if (propertiesSize > 0)
        {
            return 1 + MqttProperties.GetEncodedSize(propertiesSize);
        }

        return ReasonCode == ReasonCode.NormalDisconnection ? 0 : 1;
    }
}
