namespace GrainMQ.Protocol;

/// <summary>The MQTT 5 property identifiers and the names errors use for them.</summary>
internal static class PropertyId
{
    public const byte PayloadFormatIndicator = 0x01;
    public const byte MessageExpiryInterval = 0x02;
    public const byte ContentType = 0x03;
    public const byte ResponseTopic = 0x08;
    public const byte CorrelationData = 0x09;
    public const byte SubscriptionIdentifier = 0x0B;
    public const byte SessionExpiryInterval = 0x11;
    public const byte AssignedClientIdentifier = 0x12;
    public const byte ServerKeepAlive = 0x13;
    public const byte AuthenticationMethod = 0x15;
    public const byte AuthenticationData = 0x16;
    public const byte RequestProblemInformation = 0x17;
    public const byte WillDelayInterval = 0x18;
    public const byte RequestResponseInformation = 0x19;
    public const byte ResponseInformation = 0x1A;
    public const byte ServerReference = 0x1C;
    public const byte ReasonString = 0x1F;
    public const byte ReceiveMaximum = 0x21;
    public const byte TopicAliasMaximum = 0x22;
    public const byte TopicAlias = 0x23;
    public const byte MaximumQoS = 0x24;
    public const byte RetainAvailable = 0x25;
    public const byte UserProperty = 0x26;
    public const byte MaximumPacketSize = 0x27;
    public const byte WildcardSubscriptionAvailable = 0x28;
    public const byte SubscriptionIdentifiersAvailable = 0x29;
    public const byte SharedSubscriptionAvailable = 0x2A;

    /// <summary>The field name used in error messages, e.g. "property 0x23 topic alias".</summary>
    public static string FieldName(byte id) => id switch
    {
        PayloadFormatIndicator => "property 0x01 payload format indicator",
        MessageExpiryInterval => "property 0x02 message expiry interval",
        ContentType => "property 0x03 content type",
        ResponseTopic => "property 0x08 response topic",
        CorrelationData => "property 0x09 correlation data",
        SubscriptionIdentifier => "property 0x0B subscription identifier",
        SessionExpiryInterval => "property 0x11 session expiry interval",
        AssignedClientIdentifier => "property 0x12 assigned client identifier",
        ServerKeepAlive => "property 0x13 server keep alive",
        AuthenticationMethod => "property 0x15 authentication method",
        AuthenticationData => "property 0x16 authentication data",
        RequestProblemInformation => "property 0x17 request problem information",
        WillDelayInterval => "property 0x18 will delay interval",
        RequestResponseInformation => "property 0x19 request response information",
        ResponseInformation => "property 0x1A response information",
        ServerReference => "property 0x1C server reference",
        ReasonString => "property 0x1F reason string",
        ReceiveMaximum => "property 0x21 receive maximum",
        TopicAliasMaximum => "property 0x22 topic alias maximum",
        TopicAlias => "property 0x23 topic alias",
        MaximumQoS => "property 0x24 maximum QoS",
        RetainAvailable => "property 0x25 retain available",
        UserProperty => "property 0x26 user property",
        MaximumPacketSize => "property 0x27 maximum packet size",
        WildcardSubscriptionAvailable => "property 0x28 wildcard subscription available",
        SubscriptionIdentifiersAvailable => "property 0x29 subscription identifiers available",
        SharedSubscriptionAvailable => "property 0x2A shared subscription available",
        _ => $"property 0x{id:X2}",
    };
}
