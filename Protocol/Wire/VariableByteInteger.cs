using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>The variable byte integer of MQTT: 7 bits a byte, least significant first, at most 4 bytes.</summary>
internal static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;

    public const int MaxSize = 4;

    public static int GetSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var count = 0;
        do
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            if (value > 0)
            {
                digit |= 0x80;
            }

            destination[count++] = digit;
        }
        while (value > 0);

        return count;
    }

    /// <summary>
    /// Reads a variable byte integer inside a packet body, where running out of bytes means the packet is malformed.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, string field, out int value, [NotNullWhen(false)] out DecodeError? error)
    {
        value = 0;
        for (var i = 0; i < MaxSize; i++)
        {
            if (!reader.TryRead(out var digit))
            {
                error = DecodeErrors.Truncated(field);
                return false;
            }

            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0)
            {
                error = null;
                return true;
            }
        }

        error = DecodeErrors.Malformed("reading " + field + ": variable byte integer longer than 4 bytes");
        return false;
    }
}
