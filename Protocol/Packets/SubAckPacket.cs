using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>SUBACK: one reason code per subscription. MQTT 3 sends 0x00-0x02, and 0x80 for any code from 0x80 up.</summary>
public sealed record SubAckPacket(ushort PacketId, IReadOnlyList<ReasonCode> ReasonCodes, MqttProperties Properties) : MqttPacket
{
    public override PacketType Type => PacketType.SubAck;

    public bool Equals(SubAckPacket? other) =>
        other is not null
        && PacketId == other.PacketId
        && ValueEquality.ListEqual(ReasonCodes, other.ReasonCodes)
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(PacketId, ReasonCodes.Count, Properties);

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!ReasonCodeListCodec.TryRead(ref reader, PacketType.SubAck, version, out var packetId, out var reasonCodes, out var properties, out error))
        {
            packet = null;
            return false;
        }

        packet = new SubAckPacket(packetId, reasonCodes, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) =>
        ReasonCodeListCodec.GetRemainingLength(PacketType.SubAck, ReasonCodes.Count, Properties, version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output) =>
        ReasonCodeListCodec.Write(output, PacketType.SubAck, PacketId, ReasonCodes, Properties, version);
}
