using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>The first byte of every packet: type in the upper four bits, flags in the lower four.</summary>
internal static class FixedHeader
{
    /// <summary>Flags of PUBREL, SUBSCRIBE and UNSUBSCRIBE; every other type but PUBLISH has 0.</summary>
    public const int RequiredFlags = 0b0010;

    public const byte PublishDup = 0b1000;

    public const byte PublishRetain = 0b0001;

    /// <summary>A packet is at least a type byte and a one-byte remaining length.</summary>
    private const int MinimumSize = 2;

    /// <summary>
    /// Reads the first byte and the remaining length. False with <paramref name="incomplete"/> set
    /// (need more data, or an error) when they are not both there and acceptable.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, MqttProtocolVersion version, out byte firstByte, out int headerSize, out int remainingLength, out DecodeResult incomplete)
    {
        var span = buffer.FirstSpan;
        if (span.Length < MinimumSize || span[1] >= 0x80)
        {
            return TryReadAcrossSegments(buffer, version, out firstByte, out headerSize, out remainingLength, out incomplete);
        }

        firstByte = span[0];
        headerSize = MinimumSize;
        remainingLength = span[1];
        return IsAcceptable(firstByte, version, out incomplete);
    }

    /// <summary>The error for a first byte no packet starts with, or null when it is acceptable.</summary>
    public static DecodeError? Validate(byte firstByte, MqttProtocolVersion version)
    {
        var type = (PacketType)(firstByte >> 4);
        var flags = firstByte & 0x0F;
        switch (type)
        {
            case 0:
                return DecodeErrors.Malformed("reading fixed header: packet type 0 is reserved");
            case PacketType.Auth when version != MqttProtocolVersion.V500:
                return DecodeErrors.Malformed("reading fixed header: packet type 15 is reserved before MQTT 5");
            case PacketType.Publish:
                var qos = (flags >> 1) & 0b11;
                if (qos == 3)
                {
                    return DecodeErrors.Malformed("reading PUBLISH fixed header: QoS 3");
                }

                if (qos == 0 && (flags & PublishDup) != 0 && version != MqttProtocolVersion.V310)
                {
                    return DecodeErrors.Malformed("reading PUBLISH fixed header: DUP set with QoS 0");
                }

                return null;
            case PacketType.PubRel or PacketType.Subscribe or PacketType.Unsubscribe:
                return flags == RequiredFlags ? null : DecodeErrors.Malformed($"reading {Name(type)} fixed header: flags must be 0010, got {Convert.ToString(flags, 2).PadLeft(4, '0')}");
            default:
                return flags == 0 ? null : DecodeErrors.Malformed($"reading {Name(type)} fixed header: flags must be 0000, got {Convert.ToString(flags, 2).PadLeft(4, '0')}");
        }
    }

    public static byte FirstByte(PacketType type, int flags = 0) => (byte)(((int)type << 4) | flags);

    /// <summary>The packet's name as the specification writes it.</summary>
    public static string Name(PacketType type) => type switch
    {
        PacketType.Connect => "CONNECT",
        PacketType.ConnAck => "CONNACK",
        PacketType.Publish => "PUBLISH",
        PacketType.PubAck => "PUBACK",
        PacketType.PubRec => "PUBREC",
        PacketType.PubRel => "PUBREL",
        PacketType.PubComp => "PUBCOMP",
        PacketType.Subscribe => "SUBSCRIBE",
        PacketType.SubAck => "SUBACK",
        PacketType.Unsubscribe => "UNSUBSCRIBE",
        PacketType.UnsubAck => "UNSUBACK",
        PacketType.PingReq => "PINGREQ",
        PacketType.PingResp => "PINGRESP",
        PacketType.Disconnect => "DISCONNECT",
        PacketType.Auth => "AUTH",
        _ => "packet type " + ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static bool IsAcceptable(byte firstByte, MqttProtocolVersion version, out DecodeResult incomplete)
    {
        var error = Validate(firstByte, version);
        incomplete = error is null ? default : DecodeResult.Failed(error, 0);
        return error is null;
    }

    /// <summary>The general case: a remaining length over one byte, or a header split across segments.</summary>
    private static bool TryReadAcrossSegments(in ReadOnlySequence<byte> buffer, MqttProtocolVersion version, out byte firstByte, out int headerSize, out int remainingLength, out DecodeResult incomplete)
    {
        var reader = new SequenceReader<byte>(buffer);
        remainingLength = 0;
        headerSize = 0;
        if (!reader.TryRead(out firstByte))
        {
            incomplete = DecodeResult.NeedMore(MinimumSize);
            return false;
        }

        if (!IsAcceptable(firstByte, version, out incomplete))
        {
            return false;
        }

        for (var i = 0; i < VariableByteInteger.MaxSize; i++)
        {
            if (!reader.TryRead(out var digit))
            {
                incomplete = DecodeResult.NeedMore(1);
                return false;
            }

            remainingLength |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0)
            {
                headerSize = (int)reader.Consumed;
                return true;
            }
        }

        incomplete = DecodeResult.Failed(DecodeErrors.Malformed("reading remaining length: variable byte integer longer than 4 bytes"), 0);
        return false;
    }
}
