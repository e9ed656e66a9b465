using System.Diagnostics.Metrics;
using GrainMQ.Gateway;
using GrainMQ.Grains;
using GrainMQ.Grains.Retained;
using GrainMQ.Grains.Routing;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.Options;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// The broker's instruments: all observable, read at collection time from the counters the broker keeps anyway
/// (<see cref="BrokerCounters"/>, <see cref="GatewayCounters"/>, the indexes), so they add nothing to the hot path
/// and report exactly what $SYS reports.
/// </summary>
public sealed class BrokerInstruments
{
    private static readonly string[] DropReasons = LabelValues.Of<DropReason>();
    private static readonly string[] DisconnectReasons = LabelValues.Of<DisconnectReason>();
    private static readonly MqttTransport[] Listeners = Enum.GetValues<MqttTransport>();
    private static readonly string[] ListenerNames = LabelValues.LowerOf<MqttTransport>();
    private static readonly PacketType[] PacketTypes = Enum.GetValues<PacketType>();
    private static readonly string[] PacketTypeNames = LabelValues.LowerOf<PacketType>();

    private readonly BrokerCounters _broker;
    private readonly GatewayCounters _gateway;
    private readonly string _gatewayName;

    /// <summary>Creates the instruments on the <see cref="BrokerMeter.Name"/> meter of <paramref name="meterFactory"/>.</summary>
    public BrokerInstruments(
        IMeterFactory meterFactory,
        BrokerCounters broker,
        GatewayCounters gateway,
        RetainedIndex retained,
        SubscriptionIndex subscriptions,
        SessionTracker sessions,
        IOptions<RuntimeOptions> runtime)
    {
        _broker = broker;
        _gateway = gateway;
        _gatewayName = runtime.Value.SiloName;
        var meter = meterFactory.Create(BrokerMeter.Name);

        meter.CreateObservableGauge("grainmq.connections", ObserveConnections, "{connection}", "MQTT connections open now, by listener.");
        meter.CreateObservableCounter("grainmq.connections.opened", ObserveOpened, "{connection}", "MQTT connections accepted, by listener.");
        meter.CreateObservableCounter("grainmq.connections.closed", ObserveClosed, "{connection}", "MQTT connections closed, by listener and reason.");
        meter.CreateObservableCounter("grainmq.packets.received", () => ObservePackets(_gateway.PacketsReceivedOf), "{packet}", "MQTT packets received from clients, by listener and packet type.");
        meter.CreateObservableCounter("grainmq.packets.sent", () => ObservePackets(_gateway.PacketsSentOf), "{packet}", "MQTT packets sent to clients, by listener and packet type.");
        meter.CreateObservableCounter("grainmq.received.bytes", () => ObservePackets(_gateway.BytesReceivedOf), "By", "Bytes of MQTT packets received from clients, by listener and packet type.");
        meter.CreateObservableCounter("grainmq.sent.bytes", () => ObservePackets(_gateway.BytesSentOf), "By", "Bytes of MQTT packets sent to clients, by listener and packet type.");
        meter.CreateObservableCounter("grainmq.messages.received", () => _broker.MessagesReceived, "{message}", "PUBLISH packets received from clients.");
        meter.CreateObservableCounter("grainmq.messages.sent", () => _broker.MessagesSent, "{message}", "PUBLISH packets handed to client connections (resends included).");
        meter.CreateObservableCounter("grainmq.messages.dropped", ObserveDropped, "{message}", "Messages not delivered, by reason.");
        meter.CreateObservableGauge("grainmq.retained.messages", () => retained.Count, "{message}", "Retained messages held.");
        meter.CreateObservableGauge("grainmq.subscriptions", () => subscriptions.Count, "{subscription}", "Subscriptions in the routing index (shared-group memberships included).");
        meter.CreateObservableGauge("grainmq.clients.connected", () => _broker.ClientsConnected, "{client}", "Clients whose session has a connection attached on this silo.");
        meter.CreateObservableGauge<long>(
            "grainmq.sessions",
            () => [new Measurement<long>(sessions.Live, new KeyValuePair<string, object?>("state", "live")), new Measurement<long>(sessions.Hibernated, new KeyValuePair<string, object?>("state", "hibernated"))],
            "{session}",
            "Sessions by state: live = session grains in memory; hibernated = connected clients whose session grain is not in memory.");
    }

    /// <summary>The label value of a listener.</summary>
    public static string ListenerName(MqttTransport listener) => ListenerNames[(int)listener];

    /// <summary>The label value of a drop reason.</summary>
    public static string DropReasonName(DropReason reason) => DropReasons[(int)reason];

    /// <summary>
    /// Dropped messages of <paramref name="reason"/>: the sessions' count plus the gateway's own drops of the same
    /// kind (QoS 0 on a full connection queue counts as queue_full, a packet over the client's maximum size after
    /// aliasing as too_large).
    /// </summary>
    public long Dropped(DropReason reason) => _broker.Dropped(reason) + reason switch
    {
        DropReason.QueueFull => _gateway.QoS0Dropped,
        DropReason.TooLarge => _gateway.OversizedDropped,
        _ => 0,
    };

    private IEnumerable<Measurement<long>> ObserveConnections()
    {
        foreach (var listener in Listeners)
        {
            yield return new Measurement<long>(_gateway.CurrentConnectionsOn(listener), GatewayTags(listener));
        }
    }

    private IEnumerable<Measurement<long>> ObserveOpened()
    {
        foreach (var listener in Listeners)
        {
            yield return new Measurement<long>(_gateway.ConnectionsOpenedOn(listener), GatewayTags(listener));
        }
    }

    private IEnumerable<Measurement<long>> ObserveClosed()
    {
        foreach (var listener in Listeners)
        {
            foreach (var reason in Enum.GetValues<DisconnectReason>())
            {
                var closed = _gateway.ConnectionsClosedOn(listener, reason);
                if (closed > 0)
                {
                    yield return new Measurement<long>(closed, GatewayTags(listener, new KeyValuePair<string, object?>("reason", DisconnectReasons[(int)reason])));
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> ObservePackets(Func<MqttTransport, PacketType, long> read)
    {
        foreach (var listener in Listeners)
        {
            for (var i = 0; i < PacketTypes.Length; i++)
            {
                var value = read(listener, PacketTypes[i]);
                if (value > 0)
                {
                    yield return new Measurement<long>(value, GatewayTags(listener, new KeyValuePair<string, object?>("type", PacketTypeNames[i])));
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveDropped()
    {
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            yield return new Measurement<long>(Dropped(reason), new KeyValuePair<string, object?>("reason", DropReasons[(int)reason]));
        }
    }

    private KeyValuePair<string, object?>[] GatewayTags(MqttTransport listener, params KeyValuePair<string, object?>[] more)
    {
        var tags = new KeyValuePair<string, object?>[2 + more.Length];
        tags[0] = new KeyValuePair<string, object?>(BrokerMeter.GatewayTag, _gatewayName);
        tags[1] = new KeyValuePair<string, object?>(BrokerMeter.ListenerTag, ListenerNames[(int)listener]);
        more.CopyTo(tags, 2);
        return tags;
    }
}
