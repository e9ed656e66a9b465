using System.Net;
using System.Net.Sockets;

namespace GrainMQ.LoadGen.Client;

/// <summary>MQTT over a plain TCP socket, optionally bound to a chosen local source address.</summary>
internal sealed class SocketTransport : IMqttTransport
{
    private readonly Socket _socket;

    private SocketTransport(Socket socket) => _socket = socket;

    public static async Task<SocketTransport> ConnectAsync(IPEndPoint target, IPAddress? source, CancellationToken cancellationToken)
    {
        var socket = CreateSocket(target.AddressFamily, source);
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new SocketTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A TCP socket with Nagle off, bound to <paramref name="source"/> when one is given. On Linux the bind asks
    /// for no port yet (IP_BIND_ADDRESS_NO_PORT), so the kernel picks the port at connect time per destination and
    /// each source address has the whole ephemeral range for each broker address.
    /// </summary>
    public static Socket CreateSocket(AddressFamily family, IPAddress? source)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (source is null)
        {
            return socket;
        }

        try
        {
            if (OperatingSystem.IsLinux() && family == AddressFamily.InterNetwork)
            {
                socket.SetRawSocketOption(LinuxSocketOptions.SolIp, LinuxSocketOptions.IpBindAddressNoPort, BitConverter.GetBytes(1));
            }

            socket.Bind(new IPEndPoint(source, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public void Dispose() => _socket.Dispose();

    private static class LinuxSocketOptions
    {
        public const int SolIp = 0;
        public const int IpBindAddressNoPort = 24;
    }
}
