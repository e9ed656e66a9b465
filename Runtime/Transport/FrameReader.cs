using System.Buffers.Binary;
using System.Text;

namespace GrainMQ.Runtime.Transport;

/// <summary>Reads the fields of one frame body (after the length prefix). Throws <see cref="InvalidDataException"/> on a short frame.</summary>
internal ref struct FrameReader
{
    private readonly ReadOnlySpan<byte> _frame;
    private int _position;

    public FrameReader(ReadOnlySpan<byte> frame)
    {
        _frame = frame;
        _position = 0;
    }

    public readonly ReadOnlySpan<byte> Remaining => _frame[_position..];

    public byte ReadByte()
    {
        Ensure(1);
        return _frame[_position++];
    }

    public int ReadInt32()
    {
        Ensure(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_frame[_position..]);
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        Ensure(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_frame[_position..]);
        _position += 8;
        return value;
    }

    public string ReadString()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            throw new InvalidDataException("malformed frame: negative string length");
        }

        Ensure(length);
        var value = Encoding.UTF8.GetString(_frame.Slice(_position, length));
        _position += length;
        return value;
    }

    public GrainId ReadGrainId() => new(ReadString(), ReadString());

    public ObserverId ReadObserverId() => new(ReadString(), ReadInt64());

    private readonly void Ensure(int count)
    {
        if (_frame.Length - _position < count)
        {
            throw new InvalidDataException("malformed frame: truncated");
        }
    }
}
