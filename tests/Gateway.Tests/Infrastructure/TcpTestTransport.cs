using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>MQTT over a real TCP socket.</summary>
internal sealed class TcpTestTransport : ITestTransport
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private TcpTestTransport(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream);
    }

    public PipeReader Input { get; }

    /// <param name="endPoint">The broker.</param>
    /// <param name="receiveBufferSize">A small kernel receive buffer makes a client that stops reading push back sooner.</param>
    public static async Task<TcpTestTransport> ConnectAsync(IPEndPoint endPoint, int? receiveBufferSize = null)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(endPoint);
        return new TcpTestTransport(socket);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes) => _stream.WriteAsync(bytes);

    /// <summary>Resets the connection (RST, not FIN), like a client whose process died.</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Close();
        return _stream.DisposeAsync();
    }
}
