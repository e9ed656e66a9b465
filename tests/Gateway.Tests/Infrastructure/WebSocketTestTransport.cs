using System.IO.Pipelines;
using System.Net.WebSockets;

namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>MQTT over a real WebSocket (binary messages), as browsers and MQTT.js speak it.</summary>
internal sealed class WebSocketTestTransport : ITestTransport
{
    private readonly ClientWebSocket _socket;
    private readonly Pipe _input = new();
    private readonly Task _receiving;

    private WebSocketTestTransport(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveLoopAsync();
    }

    public PipeReader Input => _input.Reader;

    /// <summary>The subprotocol the broker chose.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<WebSocketTestTransport> ConnectAsync(Uri uri, string? subProtocol)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        await socket.ConnectAsync(uri, CancellationToken.None);
        return new WebSocketTestTransport(socket);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                var result = await _socket.ReceiveAsync(memory, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                writer.Advance(result.Count);
                await writer.FlushAsync();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended; the reader sees completion.
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }
}
