using System.Net.WebSockets;

namespace GrainMQ.LoadGen.Client;

/// <summary>MQTT over a WebSocket (subprotocol "mqtt"), one binary message per flush.</summary>
internal sealed class WebSocketTransport : IMqttTransport
{
    private readonly ClientWebSocket _socket;

    private WebSocketTransport(ClientWebSocket socket) => _socket = socket;

    /// <param name="uri">The broker's ws:// address.</param>
    /// <param name="invoker">The HTTP handler that opens the TCP connection (it binds the source address).</param>
    /// <param name="cancellationToken">Ends the opening handshake.</param>
    public static async Task<WebSocketTransport> ConnectAsync(Uri uri, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mqtt");
        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken).ConfigureAwait(false);
            return new WebSocketTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return 0;
            }

            // An empty data frame is not the end of the stream: with room in the buffer, read on.
            if (result.Count > 0 || buffer.IsEmpty)
            {
                return result.Count;
            }
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }
}
