using System.Diagnostics.CodeAnalysis;

namespace GrainMQ.Gateway;

/// <summary>The topic aliases an MQTT 5 client defined towards the broker (read loop only).</summary>
internal sealed class InboundTopicAliases(ushort maximum)
{
    private string?[]? _topics;

    /// <summary>An alias is 1 to the broker's Topic Alias Maximum.</summary>
    public bool IsValid(ushort alias) => alias >= 1 && alias <= maximum;

    public bool TryGet(ushort alias, [NotNullWhen(true)] out string? topic)
    {
        topic = _topics?[alias];
        return topic is not null;
    }

    public void Set(ushort alias, string topic) => (_topics ??= new string?[maximum + 1])[alias] = topic;
}
