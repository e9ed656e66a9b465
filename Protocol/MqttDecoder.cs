using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// Reads MQTT packets from bytes as they arrive. Incomplete input and bad input are ordinary
/// results, never exceptions.
/// </summary>
public static class MqttDecoder
{
    /// <summary>Tries to decode one packet from the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes received so far.</param>
    /// <param name="version">The connection's version; before CONNECT is seen pass <see cref="MqttProtocolVersion.V311"/> (CONNECT carries its own level and is decoded by it).</param>
    /// <param name="maxPacketSize">The largest whole packet accepted, checked against the fixed header before the body is waited for.</param>
    public static DecodeResult Decode(in ReadOnlySequence<byte> buffer, MqttProtocolVersion version, int maxPacketSize)
    {
        if (!FixedHeader.TryRead(buffer, version, out var firstByte, out var headerSize, out var remainingLength, out var incomplete))
        {
            return incomplete;
        }

        var packetSize = (long)headerSize + remainingLength;
        if (packetSize > maxPacketSize)
        {
            return DecodeResult.Failed(DecodeErrors.Refused(ReasonCode.PacketTooLarge, $"packet too large: {packetSize} bytes, the maximum is {maxPacketSize}"), 0);
        }

        if (buffer.Length < packetSize)
        {
            return DecodeResult.NeedMore((int)(packetSize - buffer.Length));
        }

        var body = new SequenceReader<byte>(buffer.Slice(headerSize, remainingLength));
        if (!TryReadBody(ref body, firstByte, version, out var packet, out var error))
        {
            return DecodeResult.Failed(error, packetSize);
        }

        if (!body.End)
        {
            var leftOver = DecodeErrors.Malformed($"reading {FixedHeader.Name(packet.Type)}: {body.Remaining} bytes left over after the packet");
            return DecodeResult.Failed(packet is ConnectPacket connect ? ConnectPacket.Answerable(leftOver, connect.ProtocolVersion) : leftOver, packetSize);
        }

        return DecodeResult.Decoded(packet, packetSize);
    }

    private static bool TryReadBody(ref SequenceReader<byte> body, byte firstByte, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error) =>
        (PacketType)(firstByte >> 4) switch
        {
            PacketType.Publish => PublishPacket.Read(ref body, firstByte & 0x0F, version, out packet, out error),
            PacketType.PubAck => PubAckPacket.Read(ref body, version, out packet, out error),
            PacketType.PubRec => PubRecPacket.Read(ref body, version, out packet, out error),
            PacketType.PubRel => PubRelPacket.Read(ref body, version, out packet, out error),
            PacketType.PubComp => PubCompPacket.Read(ref body, version, out packet, out error),
            PacketType.Connect => ConnectPacket.Read(ref body, out packet, out error),
            PacketType.ConnAck => ConnAckPacket.Read(ref body, version, out packet, out error),
            PacketType.Subscribe => SubscribePacket.Read(ref body, version, out packet, out error),
            PacketType.SubAck => SubAckPacket.Read(ref body, version, out packet, out error),
            PacketType.Unsubscribe => UnsubscribePacket.Read(ref body, version, out packet, out error),
            PacketType.UnsubAck => UnsubAckPacket.Read(ref body, version, out packet, out error),
            PacketType.PingReq => Bodiless(PingReqPacket.Read(), out packet, out error),
            PacketType.PingResp => Bodiless(PingRespPacket.Read(), out packet, out error),
            PacketType.Disconnect => DisconnectPacket.Read(ref body, version, out packet, out error),
            _ => AuthPacket.Read(ref body, out packet, out error),
        };

    /// <summary>The result for a packet read without a body (PINGREQ, PINGRESP).</summary>
    private static bool Bodiless(MqttPacket read, out MqttPacket packet, out DecodeError? error)
    {
        packet = read;
        error = null;
        return true;
    }
}
