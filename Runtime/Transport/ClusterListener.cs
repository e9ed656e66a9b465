using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using GrainMQ.Runtime.Cluster;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Transport;

/// <summary>
/// Accepts connections from other silos and from gateway processes on the silo port. Each connection starts with a
/// hello in both directions; the handler may refuse it (a peer declared dead). Connections from gateway processes are
/// kept by process name, because the observers (client sockets) those gateways hold are reached over them. Every
/// connection that opens or closes (while the listener runs) is reported to the <see cref="RemoteProcessMonitor"/>,
/// which decides when a process that no longer connects is gone.
/// </summary>
internal sealed class ClusterListener : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly ClusterOptions _options;
    private readonly IFrameHandler _handler;
    private readonly RemoteProcessMonitor _processes;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ClusterConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, ClusterConnection> _clients = new(StringComparer.Ordinal);
    private HelloInfo? _self;
    private Task _acceptLoop = Task.CompletedTask;

    /// <summary>Binds <paramref name="port"/> (0 = a free one) on every interface; <see cref="Port"/> is the bound port.</summary>
    public ClusterListener(int port, ClusterOptions options, IFrameHandler handler, RemoteProcessMonitor processes, ILogger logger)
    {
        _options = options;
        _handler = handler;
        _processes = processes;
        _logger = logger;
        _socket = Socket.OSSupportsIPv6 ? Bind(AddressFamily.InterNetworkV6, port) : Bind(AddressFamily.InterNetwork, port);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    // Every interface: IPv6 and IPv4 on one dual-mode socket where the OS has IPv6, IPv4 only otherwise.
    private static Socket Bind(AddressFamily family, int port)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, port));
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting, answering hellos with <paramref name="self"/>.</summary>
    public void Start(HelloInfo self)
    {
        _self = self;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Queues a frame to the gateway process named <paramref name="name"/>; false when it is not connected.</summary>
    public bool TrySendToClient(string name, OutgoingFrame frame) =>
        _clients.TryGetValue(name, out var connection) && !connection.IsClosed && connection.TrySend(frame);

    /// <summary>Queues a frame to every connected gateway process.</summary>
    public void SendToAllClients(OutgoingFrame frame)
    {
        foreach (var connection in _clients.Values)
        {
            connection.TrySend(frame);
        }
    }

    /// <summary>Closes every connection from <paramref name="name"/> (a peer declared dead).</summary>
    public void Disconnect(string name)
    {
        foreach (var connection in _connections.Keys)
        {
            if (connection.Remote.Name == name)
            {
                connection.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _socket.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await _acceptLoop;
    }

    private async Task AcceptLoopAsync()
    {
        var running = new List<Task>();
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            accepted.NoDelay = true;
            running.RemoveAll(static t => t.IsCompleted);
            running.Add(ServeAsync(accepted));
        }

        await Task.WhenAll(running);
    }

    private async Task ServeAsync(Socket socket)
    {
        ClusterConnection? connection = null;
        try
        {
            byte[] leftover;
            HelloInfo hello;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                timeout.CancelAfter(HandshakeTimeout);
                (var helloFrame, leftover) = await ClusterConnection.ReadFirstFrameAsync(socket, _options.MaxFrameSize, timeout.Token);
                hello = HelloInfo.Decode(helloFrame);
                if (!_handler.Admit(hello))
                {
                    ClusterLog.PeerRefused(_logger, hello.Name, hello.Address);
                    socket.Dispose();
                    return;
                }

                await socket.SendAsync(_self!.Encode(), SocketFlags.None, timeout.Token);
            }

            var outbox = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(_options.MaxQueuedMessagesPerSilo)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            connection = new ClusterConnection(socket, outbox, hello, _options.MaxFrameSize);
            _connections[connection] = 0;
            if (hello.Role == ClusterRole.Client)
            {
                _clients[hello.Name] = connection;
            }

            _processes.Connected(hello.Name);

            var error = await connection.RunAsync(_handler, leftover);
            outbox.Writer.TryComplete();
            if (error is InvalidDataException)
            {
                ClusterLog.BadFrame(_logger, hello.Name, error.Message);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidDataException)
        {
            socket.Dispose();
        }
        finally
        {
            if (connection is not null)
            {
                _connections.TryRemove(connection, out _);
                _clients.TryRemove(new KeyValuePair<string, ClusterConnection>(connection.Remote.Name, connection));
                if (!_stopping.IsCancellationRequested)
                {
                    _processes.Disconnected(connection.Remote.Name);
                }
            }
        }
    }
}
