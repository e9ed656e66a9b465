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
        if (!ReasonCodeListCodec.TryRead(ref reader, PacketType.UnsubAck, version, out var packetId, out var reasonCodes, out var properties, out error))
        {
            packet = null;
            return false;
        }

        packet = new UnsubAckPacket(packetId, reasonCodes, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) =>
        ReasonCodeListCodec.GetRemainingLength(PacketType.UnsubAck, ReasonCodes.Count, Properties, version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output) =>
        ReasonCodeListCodec.Write(output, PacketType.UnsubAck, PacketId, ReasonCodes, Properties, version);
}
