using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using GrainMQ.Protocol;

namespace GrainMQ.LoadGen.Client;

/// <summary>What a connection tells its owner: each packet decoded, and its end.</summary>
internal interface IPacketHandler
{
    /// <summary>Called on the read loop, one packet at a time, in arrival order.</summary>
    void OnPacket(MqttPacket packet);

    /// <summary>Called once when the connection ends; <paramref name="failure"/> is null when this side closed it.</summary>
    void OnClosed(string? failure);
}

/// <summary>
/// One MQTT connection of the tool: a read loop that decodes packets as bytes arrive and hands them to the
/// handler, and a writer that encodes packets into a pending buffer and flushes it in batches.
/// </summary>
/// <remarks>
/// Writes come from several threads (the publish scheduler, the read loop's acks, the keep-alive sweep), so the
/// pending buffer is guarded by <see cref="_gate"/>, the single lock of this class. One flush runs at a time
/// (<see cref="_flushing"/>): it swaps the pending buffer for the spare and writes it outside the lock, so
/// packets queued while a write is in flight go out together in the next one. The flush starts inline on the
/// thread that queued the packet (a socket send with room in its buffer completes at once, so the scheduler
/// sends without a thread hop), except while the read loop is decoding a batch: then the read loop flushes
/// once after the batch, so all the acks of one read go out in one write. Receive and send buffers are rented
/// only while they hold bytes, so an idle connection owns none.
/// </remarks>
internal sealed class MqttConnection
{
    private readonly IMqttTransport _transport;
    private readonly MqttProtocolVersion _version;
    private readonly IPacketHandler _handler;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PooledBufferWriter _pending = new();
    private PooledBufferWriter _spare = new();
    private bool _flushing;
    private bool _isClosed;
    private bool _closeAfterFlush;
    private bool _decodingBatch;
    private long _lastSendTick = Environment.TickCount64;

    public MqttConnection(IMqttTransport transport, MqttProtocolVersion version, IPacketHandler handler)
    {
        _transport = transport;
        _version = version;
        _handler = handler;
    }

    /// <summary>Completes when the connection has ended, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    /// <summary><see cref="Environment.TickCount64"/> of the last flush: the keep-alive sweep pings after a quiet period.</summary>
    public long LastSendTick => Volatile.Read(ref _lastSendTick);

    /// <summary>Starts the read loop.</summary>
    public void Start() => _ = ReadLoopAsync();

    /// <summary>
    /// Queues <paramref name="packet"/> for writing. False when the connection is closed, or when
    /// <paramref name="bounded"/> and <see cref="BenchLimits.MaxPendingWriteBytes"/> are already waiting.
    /// </summary>
    public bool TrySend(MqttPacket packet, bool bounded) => Enqueue(packet, bounded, closeAfter: false);

    /// <summary>Sends <paramref name="last"/> after everything queued, then closes (a graceful DISCONNECT).</summary>
    public void SendAndClose(MqttPacket last) => Enqueue(last, bounded: false, closeAfter: true);

    /// <summary>Closes at once; <paramref name="failure"/> is the reason counted, or null for a deliberate close.</summary>
    public void Close(string? failure)
    {
        lock (_gate)
        {
            if (_isClosed)
            {
                return;
            }

            _isClosed = true;
            _pending.Release();

            // After our own DISCONNECT the broker may close first: that is the expected end, not a failure.
            if (_closeAfterFlush)
            {
                failure = null;
            }
        }

        _transport.Dispose();
        _handler.OnClosed(failure);
        _closed.TrySetResult();
    }

    private bool Enqueue(MqttPacket packet, bool bounded, bool closeAfter)
    {
        lock (_gate)
        {
            if (_isClosed || _closeAfterFlush || (bounded && _pending.WrittenCount >= BenchLimits.MaxPendingWriteBytes))
            {
                return false;
            }

            MqttEncoder.Write(packet, _version, _pending);
            _closeAfterFlush = closeAfter;
            if (!TryStartFlush())
            {
                return true;
            }
        }

        _ = FlushLoopAsync();
        return true;
    }

    /// <summary>Under <see cref="_gate"/>: claims the flush when there is something to write and nobody else will.</summary>
    private bool TryStartFlush()
    {
        if (_flushing || _decodingBatch || _isClosed || _pending.WrittenCount == 0)
        {
            return false;
        }

        _flushing = true;
        return true;
    }

    private void SetDecodingBatch(bool decoding)
    {
        bool flush;
        lock (_gate)
        {
            _decodingBatch = decoding;
            flush = !decoding && TryStartFlush();
        }

        if (flush)
        {
            _ = FlushLoopAsync();
        }
    }

    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                PooledBufferWriter batch;
                lock (_gate)
                {
                    if (_isClosed || _pending.WrittenCount == 0)
                    {
                        _flushing = false;
                        _pending.Release();
                        _spare.Release();
                        if (_closeAfterFlush && !_isClosed)
                        {
                            break;
                        }

                        return;
                    }

                    batch = _pending;
                    _pending = _spare;
                    _spare = batch;
                }

                await _transport.SendAsync(batch.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                batch.Clear();
                Volatile.Write(ref _lastSendTick, Environment.TickCount64);
            }
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            Close(Describe(exception));
            lock (_gate)
            {
                _spare.Release();
            }

            return;
        }

        Close(failure: null);
    }

    private async Task ReadLoopAsync()
    {
        byte[]? buffer = null;
        var start = 0;
        var end = 0;
        var lastData = 0L;
        var previousData = long.MinValue / 2;
        string? failure = null;
        try
        {
            while (true)
            {
                if (start == end)
                {
                    start = end = 0;

                    // A quiet connection waits for bytes without holding a buffer (most connections of a run are idle
                    // most of the time); a busy one keeps its buffer and reads straight into it, saving a system call.
                    if (lastData - previousData >= BenchLimits.BusyReadGapMs && buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    if (buffer is null)
                    {
                        await _transport.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                    }
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(BenchLimits.ReceiveBufferSize);
                var received = await _transport.ReceiveAsync(buffer.AsMemory(end), CancellationToken.None).ConfigureAwait(false);
                if (received == 0)
                {
                    failure = "closed_by_broker";
                    break;
                }

                previousData = lastData;
                lastData = Environment.TickCount64;
                end += received;
                SetDecodingBatch(true);
                failure = DecodeAvailable(ref buffer, ref start, ref end);
                SetDecodingBatch(false);
                if (failure is not null)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            failure = Describe(exception);
        }
        catch (Exception exception)
        {
            // A bug of the tool's own (not the broker's bytes, which the decoder answers): count it, keep the run alive.
            failure = $"internal_error:{exception.GetType().Name}";
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Close(failure);
    }

    /// <summary>Decodes every whole packet in buffer[start..end]; makes room for the rest. Returns a failure reason or null.</summary>
    private string? DecodeAvailable(ref byte[] buffer, ref int start, ref int end)
    {
        while (start < end)
        {
            var bytes = new ReadOnlySequence<byte>(buffer, start, end - start);
            var result = MqttDecoder.Decode(bytes, _version, BenchLimits.MaxIncomingPacketSize);
            switch (result.Status)
            {
                case DecodeStatus.Packet:
                    start += (int)result.Consumed;
                    _handler.OnPacket(result.Packet!);
                    break;
                case DecodeStatus.NeedMoreData:
                    MakeRoom(ref buffer, ref start, ref end, result.BytesNeeded);
                    return null;
                default:
                    return $"decode_error:{result.Error?.ReasonCode}";
            }
        }

        return null;
    }

    private static void MakeRoom(ref byte[] buffer, ref int start, ref int end, int bytesNeeded)
    {
        var held = end - start;
        var needed = held + Math.Max(1, bytesNeeded);
        if (start + needed <= buffer.Length)
        {
            return;
        }

        var target = needed <= buffer.Length ? buffer : ArrayPool<byte>.Shared.Rent(needed);
        Buffer.BlockCopy(buffer, start, target, 0, held);
        if (!ReferenceEquals(target, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = target;
        }

        start = 0;
        end = held;
    }

    private static bool IsTransportFailure(Exception exception) =>
        exception is SocketException or IOException or ObjectDisposedException or WebSocketException or OperationCanceledException;

    private static string Describe(Exception exception) => exception switch
    {
        SocketException socket => $"socket_error:{socket.SocketErrorCode}",
        WebSocketException webSocket => $"websocket_error:{webSocket.WebSocketErrorCode}",
        IOException { InnerException: SocketException socket } => $"socket_error:{socket.SocketErrorCode}",
        _ => "connection_lost",
    };
}
