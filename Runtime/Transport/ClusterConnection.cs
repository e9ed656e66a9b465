using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;

namespace GrainMQ.Runtime.Transport;

/// <summary>
/// One TCP connection between two cluster processes, after its handshake. Two loops: the read loop splits the byte
/// stream into length-prefixed frames and hands each to the <see cref="IFrameHandler"/>; the write loop drains the
/// outbox and copies every frame that is ready into one buffer, so that many small messages go out in one send
/// (batching per flush). Either loop ending (peer closed, error, bad frame) closes the socket and ends the other.
/// The outbox belongs to the connection (inbound) or to the <see cref="SiloLink"/> that outlives its connections.
/// </summary>
internal sealed class ClusterConnection
{
    private const int BufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly ChannelReader<OutgoingFrame> _outbox;
    private readonly ChannelWriter<OutgoingFrame> _outboxWriter;
    private readonly int _maxFrameSize;
    private readonly CancellationTokenSource _closed = new();

    public ClusterConnection(Socket socket, Channel<OutgoingFrame> outbox, HelloInfo remote, int maxFrameSize)
    {
        _socket = socket;
        _outbox = outbox.Reader;
        _outboxWriter = outbox.Writer;
        Remote = remote;
        _maxFrameSize = maxFrameSize;
    }

    public HelloInfo Remote { get; }

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>Queues a frame; false when the outbox is closed.</summary>
    public bool TrySend(OutgoingFrame frame) => _outboxWriter.TryWrite(frame);

    /// <summary>Runs both loops until the connection ends; the exception that ended it, or null for an orderly close.</summary>
    public async Task<Exception?> RunAsync(IFrameHandler handler, byte[] leftover)
    {
        var reading = ReadLoopAsync(handler, leftover);
        var writing = WriteLoopAsync();
        var first = await Task.WhenAny(reading, writing);
        Close();
        try
        {
            await Task.WhenAll(reading, writing);
            return null;
        }
        catch (Exception)
        {
            return first.Exception?.InnerException ?? reading.Exception?.InnerException ?? writing.Exception?.InnerException;
        }
    }

    public void Close()
    {
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
            _socket.Dispose();
        }
    }

    /// <summary>Reads one whole frame (length prefix, then body) outside the loops: used by the handshake.</summary>
    public static async Task<(byte[] Frame, byte[] Leftover)> ReadFirstFrameAsync(Socket socket, int maxFrameSize, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        var filled = 0;
        while (true)
        {
            if (filled >= 4)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
                if (length < 1 || length > Math.Min(maxFrameSize, BufferSize - 4))
                {
                    throw new InvalidDataException("handshake: bad frame length");
                }

                if (filled >= 4 + length)
                {
                    return (buffer.AsSpan(4, length).ToArray(), buffer.AsSpan(4 + length, filled - 4 - length).ToArray());
                }
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException("handshake: the peer closed the connection");
            }

            filled += read;
        }
    }

    private async Task ReadLoopAsync(IFrameHandler handler, byte[] leftover)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, leftover.Length));
        try
        {
            leftover.CopyTo(buffer, 0);
            var start = 0;
            var end = leftover.Length;
            while (true)
            {
                start = DispatchFrames(handler, buffer, start, end, out var needed);
                if (start == end)
                {
                    start = end = 0;
                }
                else if (needed > buffer.Length - start)
                {
                    // Move the partial frame to the front, into a bigger buffer if it does not fit.
                    var target = needed > buffer.Length ? ArrayPool<byte>.Shared.Rent(needed) : buffer;
                    Buffer.BlockCopy(buffer, start, target, 0, end - start);
                    if (!ReferenceEquals(target, buffer))
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = target;
                    }

                    end -= start;
                    start = 0;
                }

                var read = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _closed.Token);
                if (read == 0)
                {
                    return;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Hands every complete frame in buffer[start..end] to the handler; returns where the unread part starts and how
    // many bytes the next frame needs in all (prefix included).
    private int DispatchFrames(IFrameHandler handler, byte[] buffer, int start, int end, out int needed)
    {
        needed = 4;
        while (end - start >= 4)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start));
            if (length < 1 || length > _maxFrameSize)
            {
                throw new InvalidDataException($"frame length {length} is outside 1..{_maxFrameSize}");
            }

            needed = 4 + length;
            if (end - start < needed)
            {
                return start;
            }

            handler.OnFrame(this, buffer.AsSpan(start + 4, length));
            start += needed;
            needed = 4;
        }

        return start;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new byte[BufferSize];
        while (await _outbox.WaitToReadAsync(_closed.Token))
        {
            var used = 0;
            while (_outbox.TryRead(out var frame))
            {
                var bytes = frame.Bytes;
                if (bytes.Length > batch.Length - used)
                {
                    if (used > 0)
                    {
                        await SendAsync(batch.AsMemory(0, used));
                        used = 0;
                    }

                    if (bytes.Length > batch.Length)
                    {
                        await SendAsync(bytes);
                        continue;
                    }
                }

                Buffer.BlockCopy(bytes, 0, batch, used, bytes.Length);
                used += bytes.Length;
            }

            if (used > 0)
            {
                await SendAsync(batch.AsMemory(0, used));
            }
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, _closed.Token);
            bytes = bytes[sent..];
        }
    }
}
