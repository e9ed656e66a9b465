using System.Net;
using System.Net.Sockets;

namespace GrainMQ.LoadGen.Client;

/// <summary>
/// Opens the transports of one run: resolves the broker once, picks each client's source address, and for
/// WebSocket keeps one HTTP handler per source address (its connect callback binds the socket).
/// </summary>
internal sealed class TransportFactory : IDisposable
{
    private readonly IPEndPoint _target;
    private readonly IReadOnlyList<IPAddress> _sources;
    private readonly Uri? _webSocketUri;
    private readonly HttpMessageInvoker?[] _invokers;
    private readonly Lock _gate = new();

    private TransportFactory(IPEndPoint target, IReadOnlyList<IPAddress> sources, Uri? webSocketUri)
    {
        _target = target;
        _sources = sources;
        _webSocketUri = webSocketUri;
        _invokers = new HttpMessageInvoker?[Math.Max(1, sources.Count)];
    }

    public static async Task<TransportFactory> CreateAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = await ResolveAsync(options.Host, cancellationToken).ConfigureAwait(false);
        var target = new IPEndPoint(address, options.Port);
        var sources = SourceAddresses.Resolve(options.SourceAddresses, address);
        Uri? uri = null;
        if (options.WebSocket)
        {
            var path = options.WebSocketPath.StartsWith('/') ? options.WebSocketPath : "/" + options.WebSocketPath;
            uri = new UriBuilder("ws", options.Host, options.Port, path).Uri;
        }

        return new TransportFactory(target, sources, uri);
    }

    /// <summary>Connects client <paramref name="sequence"/> from its source address.</summary>
    public async Task<IMqttTransport> ConnectAsync(long sequence, CancellationToken cancellationToken)
    {
        var slot = _sources.Count == 0 ? 0 : (int)(sequence % _sources.Count);
        var source = _sources.Count == 0 ? null : _sources[slot];
        if (_webSocketUri is null)
        {
            return await SocketTransport.ConnectAsync(_target, source, cancellationToken).ConfigureAwait(false);
        }

        return await WebSocketTransport.ConnectAsync(_webSocketUri, InvokerFor(slot, source), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker?.Dispose();
        }
    }

    private HttpMessageInvoker InvokerFor(int slot, IPAddress? source)
    {
        lock (_gate)
        {
            return _invokers[slot] ??= new HttpMessageInvoker(new SocketsHttpHandler
            {
                UseProxy = false,
                ConnectCallback = async (_, token) =>
                {
                    var socket = SocketTransport.CreateSocket(_target.AddressFamily, source);
                    try
                    {
                        await socket.ConnectAsync(_target, token).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            });
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal;
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                return address;
            }
        }

        return addresses.Length > 0 ? addresses[0] : throw new SocketException((int)SocketError.HostNotFound);
    }
}
