using GrainMQ.Grains.Interfaces;

namespace GrainMQ.Grains.Retained;

/// <summary>The persistent state of a retained grain: the retained message of its topic.</summary>
public sealed class RetainedState
{
    /// <summary>The message; null when the topic has none.</summary>
    public BrokerMessage? Message { get; set; }
}
