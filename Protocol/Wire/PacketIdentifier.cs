using System.Buffers;
using System.Buffers.Binary;

namespace GrainMQ.Protocol;

/// <summary>The two-byte packet identifier; every packet that carries one must carry a non-zero one.</summary>
internal static class PacketIdentifier
{
    public static bool TryRead(ref SequenceReader<byte> reader, PacketType type, out ushort packetId, [NotNullWhen(false)] out DecodeError? error)
    {
        var unread = reader.UnreadSpan;
        if (unread.Length >= 2)
        {
            packetId = BinaryPrimitives.ReadUInt16BigEndian(unread);
            reader.Advance(2);
        }
        else if (reader.TryReadBigEndian(out short raw))
        {
            packetId = (ushort)raw;
        }
        else
        {
            packetId = 0;
            error = DecodeErrors.Malformed("reading " + FixedHeader.Name(type) + " packet identifier");
            return false;
        }

        if (packetId == 0)
        {
            error = DecodeErrors.Protocol(FixedHeader.Name(type) + " packet identifier is 0");
            return false;
        }

        error = null;
        return true;
    }
}
