using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace GrainMQ.Gateway;

/// <summary>
/// Adapts a WebSocket to an <see cref="IDuplexPipe"/> so that MQTT over WebSocket runs the same connection code as
/// MQTT over TCP. Binary messages are a byte stream (an MQTT packet may span messages, a message may hold several
/// packets); each flush of the output is sent as one binary message. The input pipe pauses the receive loop once
/// <c>maxBufferedBytes</c> are unread, like Kestrel's socket transport.
/// </summary>
internal sealed class WebSocketDuplexPipe : IDuplexPipe
{
    private const int ReceiveChunkSize = 4096;
    private const int OutputPauseThreshold = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;

    public WebSocketDuplexPipe(WebSocket socket, long maxBufferedBytes)
    {
        _socket = socket;
        _input = new Pipe(new PipeOptions(pauseWriterThreshold: maxBufferedBytes, resumeWriterThreshold: maxBufferedBytes / 2, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pauseWriterThreshold: OutputPauseThreshold, resumeWriterThreshold: OutputPauseThreshold / 2, useSynchronizationContext: false));
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output.Writer;

    public void Abort() => _socket.Abort();

    /// <summary>
    /// Pumps both directions until the connection has completed its output, then closes the WebSocket (waiting at most
    /// <paramref name="closeTimeout"/> for the client's close frame before aborting).
    /// </summary>
    public async Task RunAsync(TimeSpan closeTimeout)
    {
        var receiving = ReceiveLoopAsync();
        await SendLoopAsync();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(closeTimeout);
            }

            await receiving.WaitAsync(closeTimeout);
        }
        catch (Exception exception) when (exception is TimeoutException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
            await receiving;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveChunkSize);
                var result = await _socket.ReceiveAsync(memory, CancellationToken.None);
                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    break;
                }

                writer.Advance(result.Count);
                var flush = await writer.FlushAsync();
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away; the connection sees the end of its input.
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    await SendAsync(buffer);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away; completing the reader makes the connection's next flush report it.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            return;
        }

        var position = buffer.Start;
        buffer.TryGet(ref position, out var current);
        while (true)
        {
            var isLast = !buffer.TryGet(ref position, out var next);
            await _socket.SendAsync(current, WebSocketMessageType.Binary, endOfMessage: isLast, CancellationToken.None);
            if (isLast)
            {
                return;
            }

            current = next;
        }
    }
}
