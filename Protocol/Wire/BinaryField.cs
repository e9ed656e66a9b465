using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>The binary data of MQTT: a two-byte big-endian length, then the bytes.</summary>
internal static class BinaryField
{
    public const int MaxLength = ushort.MaxValue;

    /// <summary>Reads the field into a new array (the buffer it came from is not kept).</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, string field, out ReadOnlyMemory<byte> value, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!reader.TryReadBigEndian(out short prefix))
        {
            value = default;
            error = DecodeErrors.Malformed("reading " + field + " length");
            return false;
        }

        var length = (ushort)prefix;
        if (reader.Remaining < length)
        {
            value = default;
            error = DecodeErrors.Truncated(field);
            return false;
        }

        value = Copy(ref reader, length);
        error = null;
        return true;
    }

    /// <summary>Copies the next <paramref name="length"/> bytes into a new array and moves past them.</summary>
    public static ReadOnlyMemory<byte> Copy(ref SequenceReader<byte> reader, int length)
    {
        if (length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var bytes = GC.AllocateUninitializedArray<byte>(length);
        var unread = reader.UnreadSpan;
        if (unread.Length >= length)
        {
            unread[..length].CopyTo(bytes);
        }
        else
        {
            reader.TryCopyTo(bytes);
        }

        reader.Advance(length);
        return bytes;
    }

    /// <summary>Copies everything left in the reader into a new array (the payload that ends a PUBLISH).</summary>
    public static ReadOnlyMemory<byte> CopyToEnd(ref SequenceReader<byte> reader)
    {
        var length = (int)reader.Remaining;
        if (length == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var bytes = GC.AllocateUninitializedArray<byte>(length);
        var unread = reader.UnreadSpan;
        if (unread.Length == length)
        {
            unread.CopyTo(bytes);
        }
        else
        {
            reader.TryCopyTo(bytes);
        }

        reader.AdvanceToEnd();
        return bytes;
    }

    public static int GetSize(ReadOnlyMemory<byte> value)
    {
        if (value.Length > MaxLength)
        {
            throw new ArgumentException($"A binary field may hold at most {MaxLength} bytes; this one has {value.Length}.", nameof(value));
        }

        return 2 + value.Length;
    }
}
