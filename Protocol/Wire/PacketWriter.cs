using System.Buffers;
using System.Buffers.Binary;

namespace GrainMQ.Protocol;

/// <summary>
/// Writes one packet straight into the span of an <see cref="IBufferWriter{T}"/>: the fixed header on
/// construction, then the fields in order, then <see cref="Commit"/> (or <see cref="CommitWithPayload"/>).
/// </summary>
internal ref struct PacketWriter
{
    /// <summary>Payloads of packets up to this size are copied into the first span asked for.</summary>
    private const int PayloadInlineLimit = 4096;

    private readonly IBufferWriter<byte> _output;
    private readonly Span<byte> _span;
    private int _position;

    /// <param name="output">Where the packet goes.</param>
    /// <param name="firstByte">Packet type and flags.</param>
    /// <param name="remainingLength">Bytes after the fixed header.</param>
    /// <param name="trailingPayload">Bytes of the remaining length that <see cref="CommitWithPayload"/> will write, not the field methods.</param>
    public PacketWriter(IBufferWriter<byte> output, byte firstByte, int remainingLength, int trailingPayload = 0)
    {
        if (remainingLength > VariableByteInteger.MaxValue)
        {
            throw new ArgumentException($"The packet needs a remaining length of {remainingLength} bytes; MQTT allows at most {VariableByteInteger.MaxValue}.", nameof(remainingLength));
        }

        var total = 1 + VariableByteInteger.GetSize(remainingLength) + remainingLength;
        _output = output;
        _span = output.GetSpan(total <= PayloadInlineLimit ? total : total - trailingPayload);
        _span[0] = firstByte;
        _position = 1 + VariableByteInteger.Write(_span[1..], remainingLength);
    }

    public void WriteByte(byte value) => _span[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) => _position += VariableByteInteger.Write(_span[_position..], value);

    public void WriteString(string value) => _position += Utf8Field.Write(_span[_position..], value);

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }

    public readonly void Commit() => _output.Advance(_position);

    /// <summary>Writes the payload that ends the packet and commits it.</summary>
    public readonly void CommitWithPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.Length <= _span.Length - _position)
        {
            payload.CopyTo(_span[_position..]);
            _output.Advance(_position + payload.Length);
            return;
        }

        _output.Advance(_position);
        _output.Write(payload);
    }
}
