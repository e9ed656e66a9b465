using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace GrainMQ.Gateway;

/// <summary>
/// Adds the MQTT listeners to Kestrel and sizes the socket transport's buffers to the MQTT packet size: the
/// transport pauses reading from a socket once this much is buffered unread, so one connection holds at most one
/// maximum-size packet plus a little.
/// </summary>
internal sealed class MqttKestrelSetup(IOptions<MqttOptions> options, MqttListeners listeners)
    : IConfigureOptions<KestrelServerOptions>, IConfigureOptions<SocketTransportOptions>
{
    /// <summary>Room above one maximum-size packet, so that the next packet's first bytes fit too.</summary>
    private const int ReadBufferSlack = 64 * 1024;

    public void Configure(KestrelServerOptions kestrel)
    {
        var mqtt = options.Value;
        if (mqtt.Tcp.Enabled)
        {
            Listen(kestrel, mqtt.Host, mqtt.Tcp.Port, listen =>
            {
                listen.UseConnectionHandler<MqttConnectionHandler>();
                listeners.SetTcp(listen);
            });
        }

        if (mqtt.WebSocket.Enabled)
        {
            Listen(kestrel, mqtt.Host, mqtt.WebSocket.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listeners.SetWebSocket(listen);
            });
        }
    }

    public void Configure(SocketTransportOptions transport)
    {
        transport.MaxReadBufferSize = Math.Max(transport.MaxReadBufferSize ?? 0, ReadBufferLimit(options.Value));
        transport.UnsafePreferInlineScheduling = options.Value.Tcp.InlineScheduling;
    }

    /// <summary>The read buffer limit of one connection (used by the WebSocket adapter too).</summary>
    internal static long ReadBufferLimit(MqttOptions mqtt) => (long)mqtt.MaxPacketSize + ReadBufferSlack;

    private static void Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        var address = ParseHost(host);
        if (address is null)
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(address, port, configure);
        }
    }

    /// <summary>The address <c>Mqtt:Host</c> names, or null for "every interface".</summary>
    internal static IPAddress? ParseHost(string host) => host switch
    {
        "" or "*" or "0.0.0.0" or "::" => null,
        _ when string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) => IPAddress.Loopback,
        _ => IPAddress.Parse(host),
    };
}
