using GrainMQ.Grains.Interfaces;

namespace GrainMQ.Grains.Topics;

/// <summary>The persistent state of a topic grain: its filter's subscribers, by client id.</summary>
public sealed class TopicState
{
    /// <summary>Client id → the options of its subscription to this filter.</summary>
    public Dictionary<string, SubscriptionOptions> Subscribers { get; set; } = new(StringComparer.Ordinal);
}
