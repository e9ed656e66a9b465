using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GrainMQ.Runtime.Transport;

/// <summary>
/// Builds one frame: a 4-byte little-endian length (of what follows), the kind, then fields. Strings are a 4-byte
/// length and UTF-8 bytes. One writer per thread is reused (<see cref="Rent"/>); <see cref="ToArray"/> copies the frame out.
/// </summary>
internal sealed class FrameWriter
{
    [ThreadStatic]
    private static FrameWriter? t_writer;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public IBufferWriter<byte> Buffer => _buffer;

    /// <summary>The calling thread's writer, cleared and with the frame header for <paramref name="kind"/> written.</summary>
    public static FrameWriter Rent(FrameKind kind)
    {
        var writer = t_writer ??= new FrameWriter();
        writer._buffer.ResetWrittenCount();
        writer._buffer.GetSpan(4);
        writer._buffer.Advance(4);
        writer.WriteByte((byte)kind);
        return writer;
    }

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void WriteGrainId(GrainId id)
    {
        WriteString(id.Type);
        WriteString(id.Key);
    }

    public void WriteObserverId(ObserverId id)
    {
        WriteString(id.Silo);
        WriteInt64(id.Id);
    }

    /// <summary>The finished frame (length prefix filled in) as a new array.</summary>
    public byte[] ToArray()
    {
        var span = _buffer.WrittenSpan;
        var frame = span.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
        return frame;
    }
}
