using System.Buffers.Binary;

namespace GrainMQ.LoadGen.Client;

/// <summary>
/// The first <see cref="Size"/> bytes of every payload the tool publishes: a 4-byte marker "GMQB", 4 bytes
/// reserved (zero), and the send time as 8 big-endian bytes of <see cref="Stats.WallClock.Ticks"/> (100 ns UTC
/// ticks). The rest of the payload is filler. A subscriber measures latency only for payloads that start with the
/// marker, so messages from other publishers on the same topics are counted but not timed.
/// </summary>
public static class PayloadHeader
{
    /// <summary>The smallest payload the tool publishes, and the bytes it reserves at the start of each.</summary>
    public const int Size = 16;

    private const uint Marker = 0x474D5142; // "GMQB"

    /// <summary>A payload of <paramref name="size"/> bytes with the marker set and filler after the header.</summary>
    public static byte[] Create(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, Size);
        var payload = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(payload, Marker);
        payload.AsSpan(Size).Fill((byte)'x');
        return payload;
    }

    /// <summary>Stamps the send time into a payload made by <see cref="Create"/>.</summary>
    public static void Stamp(Span<byte> payload, long wallClockTicks) => BinaryPrimitives.WriteInt64BigEndian(payload[8..], wallClockTicks);

    /// <summary>Reads the send time of a payload; false when it does not start with the marker.</summary>
    public static bool TryReadTimestamp(ReadOnlySpan<byte> payload, out long wallClockTicks)
    {
        if (payload.Length < Size || BinaryPrimitives.ReadUInt32BigEndian(payload) != Marker)
        {
            wallClockTicks = 0;
            return false;
        }

        wallClockTicks = BinaryPrimitives.ReadInt64BigEndian(payload[8..]);
        return true;
    }

    /// <summary>Microseconds from the stamp in <paramref name="payload"/> to <paramref name="nowTicks"/>; -1 when untimed.</summary>
    public static long LatencyMicros(ReadOnlySpan<byte> payload, long nowTicks) =>
        TryReadTimestamp(payload, out var sent) ? Math.Max(0, (nowTicks - sent) / (TimeSpan.TicksPerMillisecond / 1000)) : -1;
}
