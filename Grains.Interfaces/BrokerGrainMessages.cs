using GrainMQ.Protocol;

namespace GrainMQ.Grains.Interfaces;

// Messages between the broker's grains. Sessions send deliveries to each other one-way (Tell) only, so that no
// chain of requests can ever wait on itself; topic and retained grains are asked (they never call a session).

/// <summary>The options of one subscription as a topic grain and the routing index keep them.</summary>
/// <param name="QoS">The granted (maximum) QoS.</param>
/// <param name="NoLocal">Do not deliver messages published by the subscriber itself.</param>
/// <param name="RetainAsPublished">Keep the RETAIN flag of forwarded messages.</param>
/// <param name="RetainHandling">When retained messages are sent at subscribe time.</param>
/// <param name="SubscriptionIdentifier">The v5 subscription identifier; 0 = none.</param>
public sealed record SubscriptionOptions(
    MqttQoS QoS,
    bool NoLocal,
    bool RetainAsPublished,
    RetainHandling RetainHandling,
    uint SubscriptionIdentifier);

/// <summary>A message for a session's client, sent one-way by the publisher's side after routing.</summary>
/// <param name="Message">The message.</param>
/// <param name="QoS">The highest QoS among the subscriptions of this client that matched.</param>
/// <param name="RetainAsPublished">True when a matching subscription asked to keep the RETAIN flag.</param>
/// <param name="SubscriptionIdentifiers">The identifiers of all matching subscriptions that have one.</param>
/// <param name="Receipt">
/// Set when the publisher waits for this QoS 1/2 delivery to be safe before it acknowledges the PUBLISH (cluster):
/// the subscriber's session answers <see cref="DeliveryAcknowledged"/> once the message is in its stored state.
/// </param>
public sealed record DeliverMessage(
    BrokerMessage Message,
    MqttQoS QoS,
    bool RetainAsPublished,
    IReadOnlyList<uint> SubscriptionIdentifiers,
    DeliveryReceipt? Receipt = null);

/// <summary>Adds or replaces a client's subscription to the topic grain's filter (Ask; reply <see cref="TopicSubscriptionChanged"/>).</summary>
public sealed record TopicSubscribe(string ClientId, SubscriptionOptions Options);

/// <summary>Removes a client's subscription from the topic grain's filter (Ask; reply <see cref="TopicSubscriptionChanged"/>).</summary>
public sealed record TopicUnsubscribe(string ClientId);

/// <summary>Reply of a topic grain: whether the client had a subscription to the filter before the change.</summary>
public sealed record TopicSubscriptionChanged(bool Existed);

/// <summary>
/// Stores the retained message of the retained grain's topic, or clears it when the payload is empty
/// (Ask; reply <see cref="RetainedMessageStored"/>).
/// </summary>
public sealed record StoreRetainedMessage(BrokerMessage Message);

/// <summary>Reply to <see cref="StoreRetainedMessage"/>.</summary>
public sealed record RetainedMessageStored
{
    /// <summary>The shared instance.</summary>
    public static RetainedMessageStored Instance { get; } = new();
}

/// <summary>Tells a retained grain that its message was seen expired: it clears the message if it has expired (one-way).</summary>
public sealed record RemoveExpiredRetainedMessage
{
    /// <summary>The shared instance.</summary>
    public static RemoveExpiredRetainedMessage Instance { get; } = new();
}
