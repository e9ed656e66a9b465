using GrainMQ.Grains.Interfaces;

namespace GrainMQ.Grains.Cluster;

/// <summary>A topic grain changed its filter's subscriber set: every silo updates its routing index (broadcast).</summary>
/// <param name="Filter">The topic filter (shared filters with their <c>$share/{group}/</c> prefix).</param>
/// <param name="ClientId">The subscriber.</param>
/// <param name="Options">The subscription's options; null when it was removed.</param>
public sealed record SubscriptionIndexChanged(string Filter, string ClientId, SubscriptionOptions? Options);

/// <summary>A retained grain changed its topic's retained message: every silo updates its retained index (broadcast).</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Message">The retained message; null when it was cleared.</param>
public sealed record RetainedIndexChanged(string Topic, BrokerMessage? Message);
