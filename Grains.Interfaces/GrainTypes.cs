namespace GrainMQ.Grains.Interfaces;

/// <summary>The stable type names that identify GrainMQ's grains (the first half of a <see cref="Runtime.GrainId"/>).</summary>
public static class GrainTypes
{
    /// <summary>One per MQTT client; key = client identifier.</summary>
    public const string Session = "session";

    /// <summary>One per topic filter that has subscribers; key = the filter, including any <c>$share/{group}/</c> prefix.</summary>
    public const string Topic = "topic";

    /// <summary>One per topic name that holds a retained message; key = the topic name.</summary>
    public const string Retained = "retained";
}
