using System.Net;
using GrainMQ.Gateway;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GrainMQ.Observability.Http;

/// <summary>
/// Adds the HTTP listener (<see cref="HttpOptions"/>) to the Kestrel server that also runs the MQTT listeners, and
/// knows its bound end point once the host has started, so that requests on other ports are left alone.
/// </summary>
public sealed class HttpEndpoint(IOptions<HttpOptions> options, IOptions<MqttOptions> mqtt) : IConfigureOptions<KestrelServerOptions>
{
    private ListenOptions? _listen;

    /// <summary>The bound end point (the real port when <c>Http:Port</c> was 0); null when disabled or not bound yet.</summary>
    public IPEndPoint? EndPoint => _listen?.IPEndPoint;

    /// <summary>Whether a request arrived on this listener.</summary>
    public bool Serves(int localPort) => _listen?.IPEndPoint is { } endPoint && endPoint.Port == localPort;

    /// <inheritdoc />
    public void Configure(KestrelServerOptions kestrel)
    {
        var http = options.Value;
        if (!http.Enabled)
        {
            return;
        }

        var host = string.IsNullOrEmpty(http.Host) ? mqtt.Value.Host : http.Host;
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            _listen = listen;
        };
        if (ParseHost(host) is { } address)
        {
            kestrel.Listen(address, http.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(http.Port, configure);
        }
    }

    /// <summary>The address a host setting names, or null for "every interface".</summary>
    internal static IPAddress? ParseHost(string host) => host switch
    {
        "" or "*" or "0.0.0.0" or "::" => null,
        _ when string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
        _ => IPAddress.Parse(host),
    };
}
