using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace GrainMQ.Protocol;

/// <summary>
/// The UTF-8 encoded string of MQTT: a two-byte big-endian length, then well-formed UTF-8 without
/// U+0000 (well-formed UTF-8 has no surrogate code points).
/// </summary>
internal static class Utf8Field
{
    private const int StackCopyLimit = 256;

    public const int MaxByteCount = ushort.MaxValue;

    public static bool TryRead(ref SequenceReader<byte> reader, string field, out string value, [NotNullWhen(false)] out DecodeError? error)
    {
        var unread = reader.UnreadSpan;
        if (unread.Length >= 2)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(unread);
            if (unread.Length >= 2 + length)
            {
                reader.Advance(2 + length);
                return TryDecode(unread.Slice(2, length), field, out value, out error);
            }
        }

        return TryReadAcrossSegments(ref reader, field, out value, out error);
    }

    /// <summary>Bytes on the wire: the length prefix and the UTF-8 bytes.</summary>
    public static int GetSize(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        if (count > MaxByteCount)
        {
            throw new ArgumentException($"A string field may hold at most {MaxByteCount} UTF-8 bytes; this one has {count}.", nameof(value));
        }

        return 2 + count;
    }

    /// <summary>Writes the length prefix and the UTF-8 bytes; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, string value)
    {
        var count = Encoding.UTF8.GetBytes(value, destination[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)count);
        return 2 + count;
    }

    private static bool TryReadAcrossSegments(ref SequenceReader<byte> reader, string field, out string value, [NotNullWhen(false)] out DecodeError? error)
    {
        value = string.Empty;
        if (!reader.TryReadBigEndian(out short prefix))
        {
            error = DecodeErrors.Malformed("reading " + field + " length");
            return false;
        }

        var length = (ushort)prefix;
        if (reader.Remaining < length)
        {
            error = DecodeErrors.Truncated(field);
            return false;
        }

        byte[]? rented = null;
        Span<byte> buffer = length <= StackCopyLimit ? stackalloc byte[StackCopyLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var bytes = buffer[..length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        var decoded = TryDecode(bytes, field, out value, out error);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return decoded;
    }

    private static bool TryDecode(ReadOnlySpan<byte> bytes, string field, out string value, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!Utf8.IsValid(bytes))
        {
            value = string.Empty;
            error = DecodeErrors.Malformed("reading " + field + ": not well-formed UTF-8");
            return false;
        }

        if (bytes.Contains((byte)0))
        {
            value = string.Empty;
            error = DecodeErrors.Malformed("reading " + field + ": contains U+0000");
            return false;
        }

        value = bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
        error = null;
        return true;
    }
}
