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

    internal static int GetRemainingLength(PubAckPacket packet, MqttProtocolVersion version) =>
        AcknowledgementCodec.GetRemainingLength(packet.ReasonCode, packet.Properties, version, out _);

    internal static void Write(PubAckPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output) =>
        AcknowledgementCodec.Write(output, PacketType.PubAck, packet.PacketId, packet.ReasonCode, packet.Properties, version);
}
