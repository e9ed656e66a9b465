using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Routing;

/// <summary>
/// Publishes an application message on this silo: stores or clears it as the retained message of its topic when
/// it has the RETAIN flag, then looks up the subscribers in the <see cref="SubscriptionIndex"/> and sends each
/// subscriber's session one <see cref="DeliverMessage"/> one-way (never a request: sessions publish to each other
/// all the time, and a request could wait on a session that is itself waiting).
/// </summary>
public sealed class MessageRouter
{
    [ThreadStatic]
    private static List<SubscriberMatch>? t_matches;

    private readonly SubscriptionIndex _index;
    private readonly IGrainFactory _grainFactory;
    private readonly BrokerCounters _counters;

    /// <summary>Creates the router.</summary>
    public MessageRouter(SubscriptionIndex index, IGrainFactory grainFactory, BrokerCounters counters)
    {
        _index = index;
        _grainFactory = grainFactory;
        _counters = counters;
    }

    /// <summary>
    /// Publishes <paramref name="message"/> from <paramref name="publisherClientId"/> (null for the broker itself).
    /// Returns how many deliveries were sent (0 = no matching subscribers). With a <paramref name="receipt"/>, every
    /// delivery of QoS 1 or 2 carries it and is added to <paramref name="awaited"/> (subscriber and the message sent),
    /// so that the publisher can wait for the subscribers' acknowledgements and send again what is not acknowledged.
    /// </summary>
    public async ValueTask<int> PublishAsync(
        BrokerMessage message,
        string? publisherClientId,
        DeliveryReceipt? receipt = null,
        List<KeyValuePair<string, DeliverMessage>>? awaited = null)
    {
        if (message.Retain)
        {
            await _grainFactory.GetGrain(GrainTypes.Retained, message.Topic).AskAsync(new StoreRetainedMessage(message));
        }

        var deliveries = Route(message, publisherClientId, receipt, awaited);
        if (deliveries == 0 && !message.Retain)
        {
            _counters.MessageDropped(DropReason.NoSubscribers);
        }

        return deliveries;
    }

    private int Route(BrokerMessage message, string? publisherClientId, DeliveryReceipt? receipt, List<KeyValuePair<string, DeliverMessage>>? awaited)
    {
        var matches = t_matches ??= [];
        try
        {
            _index.Match(message.Topic, publisherClientId, matches);
            foreach (var match in matches)
            {
                var acknowledged = receipt is not null && match.QoS != MqttQoS.AtMostOnce && message.QoS != MqttQoS.AtMostOnce;
                var deliver = new DeliverMessage(message, match.QoS, match.RetainAsPublished, match.SubscriptionIdentifiers, acknowledged ? receipt : null);
                if (acknowledged)
                {
                    awaited?.Add(new KeyValuePair<string, DeliverMessage>(match.ClientId, deliver));
                }

                _grainFactory.GetGrain(GrainTypes.Session, match.ClientId).Tell(deliver);
            }

            return matches.Count;
        }
        finally
        {
            matches.Clear();
        }
    }
}
