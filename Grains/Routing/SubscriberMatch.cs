using GrainMQ.Protocol;

namespace GrainMQ.Grains.Routing;

/// <summary>One delivery the routing index found for a topic: a client and how it gets the message.</summary>
/// <param name="ClientId">The subscriber.</param>
/// <param name="QoS">The highest granted QoS among the client's matching subscriptions.</param>
/// <param name="RetainAsPublished">True when any of the matching subscriptions keeps the RETAIN flag.</param>
/// <param name="SubscriptionIdentifiers">The identifiers of all matching subscriptions that have one.</param>
public readonly record struct SubscriberMatch(string ClientId, MqttQoS QoS, bool RetainAsPublished, IReadOnlyList<uint> SubscriptionIdentifiers);
