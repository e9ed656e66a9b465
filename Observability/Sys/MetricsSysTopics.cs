using System.Globalization;
using GrainMQ.Gateway;
using GrainMQ.Grains;
using GrainMQ.Grains.Retained;
using GrainMQ.Grains.Routing;
using GrainMQ.Grains.Sys;
using GrainMQ.Observability.Metrics;
using GrainMQ.Protocol;

namespace GrainMQ.Observability.Sys;

/// <summary>
/// The <c>$SYS/broker/...</c> topics beyond the broker's own five, read from the same counters as the metrics:
/// mosquitto's names where it has one (<c>bytes/received</c>, <c>bytes/sent</c>, <c>publish/messages/received</c>,
/// <c>publish/messages/sent</c>, <c>publish/messages/dropped</c>, <c>publish/bytes/received</c>,
/// <c>publish/bytes/sent</c>, <c>retained messages/count</c>, <c>subscriptions/count</c>, <c>heap/current</c>), and
/// GrainMQ's own for what mosquitto lacks (<c>sessions/live</c>, <c>sessions/hibernated</c>,
/// <c>messages/dropped/{reason}</c>, <c>connections/current</c>).
/// </summary>
internal sealed class MetricsSysTopics(
    BrokerCounters broker,
    GatewayCounters gateway,
    RetainedIndex retained,
    SubscriptionIndex subscriptions,
    SessionTracker sessions,
    BrokerInstruments instruments) : ISysTopicSource
{
    public void Collect(ICollection<KeyValuePair<string, string>> topics)
    {
        Add(topics, "bytes/received", gateway.BytesReceived);
        Add(topics, "bytes/sent", gateway.BytesSent);
        Add(topics, "publish/messages/received", broker.MessagesReceived);
        Add(topics, "publish/messages/sent", broker.MessagesSent);
        Add(topics, "publish/bytes/received", PublishBytes(gateway.BytesReceivedOf));
        Add(topics, "publish/bytes/sent", PublishBytes(gateway.BytesSentOf));
        Add(topics, "retained messages/count", retained.Count);
        Add(topics, "subscriptions/count", subscriptions.Count);
        Add(topics, "heap/current", GC.GetGCMemoryInfo().HeapSizeBytes);
        Add(topics, "connections/current", gateway.CurrentConnections);
        Add(topics, "sessions/live", sessions.Live);
        Add(topics, "sessions/hibernated", sessions.Hibernated);
        long dropped = 0;
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            var count = instruments.Dropped(reason);
            dropped += count;
            Add(topics, "messages/dropped/" + BrokerInstruments.DropReasonName(reason), count);
        }

        Add(topics, "publish/messages/dropped", dropped);
    }

    private static long PublishBytes(Func<MqttTransport, PacketType, long> read)
    {
        long total = 0;
        foreach (var listener in Enum.GetValues<MqttTransport>())
        {
            total += read(listener, PacketType.Publish);
        }

        return total;
    }

    private static void Add(ICollection<KeyValuePair<string, string>> topics, string name, long value) =>
        topics.Add(new KeyValuePair<string, string>(name, value.ToString(CultureInfo.InvariantCulture)));
}
