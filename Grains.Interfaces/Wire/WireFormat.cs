using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GrainMQ.Grains.Interfaces.Wire;

/// <summary>
/// The primitives of the broker's binary message codecs: little-endian integers, length-prefixed UTF-8 strings and
/// byte buffers (length −1 = null). A reader throws <see cref="InvalidDataException"/> on a short or malformed input.
/// </summary>
internal static class WireFormat
{
    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt32(output, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(output, length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    public static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteInt32(output, value.Length);
        value.CopyTo(output.GetSpan(value.Length));
        output.Advance(value.Length);
    }

    public static byte ReadByte(ref ReadOnlySpan<byte> input)
    {
        Ensure(input, 1);
        var value = input[0];
        input = input[1..];
        return value;
    }

    public static int ReadInt32(ref ReadOnlySpan<byte> input)
    {
        Ensure(input, 4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(input);
        input = input[4..];
        return value;
    }

    public static long ReadInt64(ref ReadOnlySpan<byte> input)
    {
        Ensure(input, 8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(input);
        input = input[8..];
        return value;
    }

    public static string? ReadString(ref ReadOnlySpan<byte> input)
    {
        var length = ReadLength(ref input);
        if (length < 0)
        {
            return null;
        }

        var value = Encoding.UTF8.GetString(input[..length]);
        input = input[length..];
        return value;
    }

    public static string ReadRequiredString(ref ReadOnlySpan<byte> input) =>
        ReadString(ref input) ?? throw new InvalidDataException("malformed message: a required string is null");

    public static byte[]? ReadBytes(ref ReadOnlySpan<byte> input)
    {
        var length = ReadLength(ref input);
        if (length < 0)
        {
            return null;
        }

        var value = input[..length].ToArray();
        input = input[length..];
        return value;
    }

    private static int ReadLength(ref ReadOnlySpan<byte> input)
    {
        var length = ReadInt32(ref input);
        if (length < -1 || length > input.Length)
        {
            throw new InvalidDataException("malformed message: bad length");
        }

        return length;
    }

    private static void Ensure(ReadOnlySpan<byte> input, int count)
    {
        if (input.Length < count)
        {
            throw new InvalidDataException("malformed message: truncated");
        }
    }
}
