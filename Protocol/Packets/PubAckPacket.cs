using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>PUBACK. MQTT 3 sends only the packet identifier; the reason code and properties are MQTT 5.</summary>
public sealed record PubAckPacket(ushort PacketId, ReasonCode ReasonCode, MqttProperties Properties) : MqttPacket
{
    public override PacketType Type => PacketType.PubAck;

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!AcknowledgementCodec.TryRead(ref reader, PacketType.PubAck, version, out var packetId, out var reasonCode, out var properties, out error))
        {
            packet = null;
            return false;
        }

        packet = new PubAckPacket(packetId, reasonCode, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) =>
        AcknowledgementCodec.GetRemainingLength(ReasonCode, Properties, version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output) =>
        AcknowledgementCodec.Write(output, PacketType.PubAck, PacketId, ReasonCode, Properties, version);
}
