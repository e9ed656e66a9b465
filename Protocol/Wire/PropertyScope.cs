namespace GrainMQ.Protocol;

/// <summary>Where a property list sits; each place allows its own set of properties.</summary>
internal enum PropertyScope
{
    Connect,
    Will,
    ConnAck,
    Publish,
    Acknowledgement,
    Subscribe,
    SubAck,
    Unsubscribe,
    UnsubAck,
    Disconnect,
    Auth,
}

/// <summary>Which properties each <see cref="PropertyScope"/> allows (MQTT 5.0 section 2.2.2.2).</summary>
internal static class PropertyRules
{
    private const ulong Reason = (1UL << PropertyId.ReasonString) | (1UL << PropertyId.UserProperty);

    private const ulong Message =
        (1UL << PropertyId.PayloadFormatIndicator) | (1UL << PropertyId.MessageExpiryInterval) | (1UL << PropertyId.ContentType)
        | (1UL << PropertyId.ResponseTopic) | (1UL << PropertyId.CorrelationData) | (1UL << PropertyId.UserProperty);

    private const ulong Connect =
        (1UL << PropertyId.SessionExpiryInterval) | (1UL << PropertyId.AuthenticationMethod) | (1UL << PropertyId.AuthenticationData)
        | (1UL << PropertyId.RequestProblemInformation) | (1UL << PropertyId.RequestResponseInformation) | (1UL << PropertyId.ReceiveMaximum)
        | (1UL << PropertyId.TopicAliasMaximum) | (1UL << PropertyId.UserProperty) | (1UL << PropertyId.MaximumPacketSize);

    private const ulong ConnAck =
        (1UL << PropertyId.SessionExpiryInterval) | (1UL << PropertyId.AssignedClientIdentifier) | (1UL << PropertyId.ServerKeepAlive)
        | (1UL << PropertyId.AuthenticationMethod) | (1UL << PropertyId.AuthenticationData) | (1UL << PropertyId.ResponseInformation)
        | (1UL << PropertyId.ServerReference) | (1UL << PropertyId.ReasonString) | (1UL << PropertyId.ReceiveMaximum)
        | (1UL << PropertyId.TopicAliasMaximum) | (1UL << PropertyId.MaximumQoS) | (1UL << PropertyId.RetainAvailable)
        | (1UL << PropertyId.UserProperty) | (1UL << PropertyId.MaximumPacketSize) | (1UL << PropertyId.WildcardSubscriptionAvailable)
        | (1UL << PropertyId.SubscriptionIdentifiersAvailable) | (1UL << PropertyId.SharedSubscriptionAvailable);

    /// <summary>Every identifier MQTT 5 defines; any other is a malformed packet.</summary>
    public const ulong Known = Message | Connect | ConnAck | (1UL << PropertyId.SubscriptionIdentifier)
        | (1UL << PropertyId.WillDelayInterval) | (1UL << PropertyId.TopicAlias);

    public static ulong Allowed(PropertyScope scope) => scope switch
    {
        PropertyScope.Connect => Connect,
        PropertyScope.Will => Message | (1UL << PropertyId.WillDelayInterval),
        PropertyScope.ConnAck => ConnAck,
        PropertyScope.Publish => Message | (1UL << PropertyId.SubscriptionIdentifier) | (1UL << PropertyId.TopicAlias),
        PropertyScope.Subscribe => (1UL << PropertyId.SubscriptionIdentifier) | (1UL << PropertyId.UserProperty),
        PropertyScope.Unsubscribe => 1UL << PropertyId.UserProperty,
        PropertyScope.Disconnect => Reason | (1UL << PropertyId.SessionExpiryInterval) | (1UL << PropertyId.ServerReference),
        PropertyScope.Auth => Reason | (1UL << PropertyId.AuthenticationMethod) | (1UL << PropertyId.AuthenticationData),
        _ => Reason,
    };

    /// <summary>True for the properties that may appear more than once in <paramref name="scope"/>.</summary>
    public static bool MayRepeat(PropertyScope scope, byte id) =>
        id == PropertyId.UserProperty || (id == PropertyId.SubscriptionIdentifier && scope == PropertyScope.Publish);

    public static string Name(PropertyScope scope) => scope switch
    {
        PropertyScope.Connect => "CONNECT",
        PropertyScope.Will => "will properties",
        PropertyScope.ConnAck => "CONNACK",
        PropertyScope.Publish => "PUBLISH",
        PropertyScope.Acknowledgement => "PUBACK/PUBREC/PUBREL/PUBCOMP",
        PropertyScope.Subscribe => "SUBSCRIBE",
        PropertyScope.SubAck => "SUBACK",
        PropertyScope.Unsubscribe => "UNSUBSCRIBE",
        PropertyScope.UnsubAck => "UNSUBACK",
        PropertyScope.Disconnect => "DISCONNECT",
        _ => "AUTH",
    };
}
