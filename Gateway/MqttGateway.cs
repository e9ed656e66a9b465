using System.IO.Pipelines;
using System.Net;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Gateway;

/// <summary>
/// What every MQTT connection shares: settings, the grain runtime, counters and the set of live connections. The
/// listeners (TCP and WebSocket) hand each accepted transport to <see cref="RunConnectionAsync"/>.
/// </summary>
internal sealed class MqttGateway
{
    public MqttGateway(
        IOptions<MqttOptions> options,
        IGrainFactory grains,
        IObserverRegistry observers,
        GatewayCounters counters,
        MqttConnectionTracker tracker,
        ILogger<MqttConnection> logger)
    {
        Options = options.Value;
        Grains = grains;
        Observers = observers;
        Counters = counters;
        Tracker = tracker;
        Logger = logger;
        ConnAckProperties = new MqttProperties
        {
            ReceiveMaximum = (ushort)Options.ReceiveMaximum,
            MaximumPacketSize = (uint)Options.MaxPacketSize,
            TopicAliasMaximum = (ushort)Options.TopicAliasMaximum,
            RetainAvailable = true,
            WildcardSubscriptionAvailable = true,
            SubscriptionIdentifiersAvailable = true,
            SharedSubscriptionAvailable = true,
        };
    }

    public MqttOptions Options { get; }

    public IGrainFactory Grains { get; }

    public IObserverRegistry Observers { get; }

    public GatewayCounters Counters { get; }

    public MqttConnectionTracker Tracker { get; }

    public ILogger Logger { get; }

    /// <summary>The MQTT 5 CONNACK properties every client gets (the per-client ones are added to a copy).</summary>
    public MqttProperties ConnAckProperties { get; }

    /// <summary>Serves one client until its connection closes.</summary>
    /// <param name="transport">The byte streams of the socket (or of the WebSocket adapter).</param>
    /// <param name="abort">Tears the socket down when a closing connection cannot flush in time.</param>
    /// <param name="remoteEndPoint">The client's address, for logs.</param>
    /// <param name="transportKind">The listener the client came through.</param>
    public Task RunConnectionAsync(IDuplexPipe transport, Action abort, EndPoint? remoteEndPoint, MqttTransport transportKind) =>
        new MqttConnection(this, transport, abort, remoteEndPoint?.ToString() ?? "unknown", transportKind).RunAsync();
}
