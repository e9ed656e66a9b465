namespace GrainMQ.Grains.Routing;

/// <summary>A topic filter of the subscription index and how many subscriptions it has (shared filters with their prefix).</summary>
public sealed record FilterSubscribers(string Filter, int Subscribers);
