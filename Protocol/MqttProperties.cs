namespace GrainMQ.Protocol;

/// <summary>
/// The MQTT 5 properties of a packet (or of a will message). Immutable; <see cref="Empty"/> is the
/// shared instance used whenever a packet carries none, so decoding such a packet allocates nothing
/// for its properties. Equality compares content, binary data and lists included.
/// </summary>
public sealed partial record MqttProperties
{
    /// <summary>The shared instance with no property set.</summary>
    public static MqttProperties Empty { get; } = new();

    /// <summary>0x01: 0 for unspecified bytes, 1 for UTF-8 character data.</summary>
    public byte? PayloadFormatIndicator { get; init; }

    /// <summary>0x02: lifetime of the message in seconds.</summary>
    public uint? MessageExpiryInterval { get; init; }

    /// <summary>0x03.</summary>
    public string? ContentType { get; init; }

    /// <summary>0x08.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>0x09.</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>0x0B: one in SUBSCRIBE, any number in PUBLISH; 1 to 268,435,455.</summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];

    /// <summary>0x11.</summary>
    public uint? SessionExpiryInterval { get; init; }

    /// <summary>0x12.</summary>
    public string? AssignedClientIdentifier { get; init; }

    /// <summary>0x13.</summary>
    public ushort? ServerKeepAlive { get; init; }

    /// <summary>0x15.</summary>
    public string? AuthenticationMethod { get; init; }

    /// <summary>0x16.</summary>
    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }

    /// <summary>0x17: 0 or 1.</summary>
    public byte? RequestProblemInformation { get; init; }

    /// <summary>0x18.</summary>
    public uint? WillDelayInterval { get; init; }

    /// <summary>0x19: 0 or 1.</summary>
    public byte? RequestResponseInformation { get; init; }

    /// <summary>0x1A.</summary>
    public string? ResponseInformation { get; init; }

    /// <summary>0x1C.</summary>
    public string? ServerReference { get; init; }

    /// <summary>0x1F.</summary>
    public string? ReasonString { get; init; }

    /// <summary>0x21: never 0.</summary>
    public ushort? ReceiveMaximum { get; init; }

    /// <summary>0x22.</summary>
    public ushort? TopicAliasMaximum { get; init; }

    /// <summary>0x23: never 0.</summary>
    public ushort? TopicAlias { get; init; }

    /// <summary>0x24: 0 or 1.</summary>
    public byte? MaximumQoS { get; init; }

    /// <summary>0x25.</summary>
    public bool? RetainAvailable { get; init; }

    /// <summary>0x26: in the order they were sent.</summary>
    public IReadOnlyList<UserProperty> UserProperties { get; init; } = [];

    /// <summary>0x27: never 0.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>0x28.</summary>
    public bool? WildcardSubscriptionAvailable { get; init; }

    /// <summary>0x29.</summary>
    public bool? SubscriptionIdentifiersAvailable { get; init; }

    /// <summary>0x2A.</summary>
    public bool? SharedSubscriptionAvailable { get; init; }

    public bool Equals(MqttProperties? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (PayloadFormatIndicator == other.PayloadFormatIndicator
                && MessageExpiryInterval == other.MessageExpiryInterval
                && ContentType == other.ContentType
                && ResponseTopic == other.ResponseTopic
                && ValueEquality.BytesEqual(CorrelationData, other.CorrelationData)
                && ValueEquality.ListEqual(SubscriptionIdentifiers, other.SubscriptionIdentifiers)
                && SessionExpiryInterval == other.SessionExpiryInterval
                && AssignedClientIdentifier == other.AssignedClientIdentifier
                && ServerKeepAlive == other.ServerKeepAlive
                && AuthenticationMethod == other.AuthenticationMethod
                && ValueEquality.BytesEqual(AuthenticationData, other.AuthenticationData)
                && RequestProblemInformation == other.RequestProblemInformation
                && WillDelayInterval == other.WillDelayInterval
                && RequestResponseInformation == other.RequestResponseInformation
                && ResponseInformation == other.ResponseInformation
                && ServerReference == other.ServerReference
                && ReasonString == other.ReasonString
                && ReceiveMaximum == other.ReceiveMaximum
                && TopicAliasMaximum == other.TopicAliasMaximum
                && TopicAlias == other.TopicAlias
                && MaximumQoS == other.MaximumQoS
                && RetainAvailable == other.RetainAvailable
                && ValueEquality.ListEqual(UserProperties, other.UserProperties)
                && MaximumPacketSize == other.MaximumPacketSize
                && WildcardSubscriptionAvailable == other.WildcardSubscriptionAvailable
                && SubscriptionIdentifiersAvailable == other.SubscriptionIdentifiersAvailable
                && SharedSubscriptionAvailable == other.SharedSubscriptionAvailable));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(MessageExpiryInterval);
        hash.Add(ContentType);
        hash.Add(ResponseTopic);
        ValueEquality.AddBytes(ref hash, CorrelationData);
        ValueEquality.AddList(ref hash, SubscriptionIdentifiers);
        hash.Add(SessionExpiryInterval);
        hash.Add(AssignedClientIdentifier);
        hash.Add(AuthenticationMethod);
        hash.Add(ReasonString);
        hash.Add(TopicAlias);
        ValueEquality.AddList(ref hash, UserProperties);
        return hash.ToHashCode();
    }
}
