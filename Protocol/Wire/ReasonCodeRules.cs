namespace GrainMQ.Protocol;

/// <summary>Which MQTT 5 reason codes each packet may carry (MQTT 5.0 section 2.4).</summary>
internal static class ReasonCodeRules
{
    public static bool IsValidFor(PacketType type, ReasonCode code) => type switch
    {
        PacketType.ConnAck => code is ReasonCode.Success or ReasonCode.UnspecifiedError or ReasonCode.MalformedPacket
            or ReasonCode.ProtocolError or ReasonCode.ImplementationSpecificError or ReasonCode.UnsupportedProtocolVersion
            or ReasonCode.ClientIdentifierNotValid or ReasonCode.BadUserNameOrPassword or ReasonCode.NotAuthorized
            or ReasonCode.ServerUnavailable or ReasonCode.ServerBusy or ReasonCode.Banned or ReasonCode.BadAuthenticationMethod
            or ReasonCode.TopicNameInvalid or ReasonCode.PacketTooLarge or ReasonCode.QuotaExceeded or ReasonCode.PayloadFormatInvalid
            or ReasonCode.RetainNotSupported or ReasonCode.QoSNotSupported or ReasonCode.UseAnotherServer or ReasonCode.ServerMoved
            or ReasonCode.ConnectionRateExceeded,
        PacketType.PubAck or PacketType.PubRec => code is ReasonCode.Success or ReasonCode.NoMatchingSubscribers
            or ReasonCode.UnspecifiedError or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized
            or ReasonCode.TopicNameInvalid or ReasonCode.PacketIdentifierInUse or ReasonCode.QuotaExceeded
            or ReasonCode.PayloadFormatInvalid,
        PacketType.PubRel or PacketType.PubComp => code is ReasonCode.Success or ReasonCode.PacketIdentifierNotFound,
        PacketType.SubAck => code is ReasonCode.GrantedQoS0 or ReasonCode.GrantedQoS1 or ReasonCode.GrantedQoS2
            or ReasonCode.UnspecifiedError or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized
            or ReasonCode.TopicFilterInvalid or ReasonCode.PacketIdentifierInUse or ReasonCode.QuotaExceeded
            or ReasonCode.SharedSubscriptionsNotSupported or ReasonCode.SubscriptionIdentifiersNotSupported
            or ReasonCode.WildcardSubscriptionsNotSupported,
        PacketType.UnsubAck => code is ReasonCode.Success or ReasonCode.NoSubscriptionExisted or ReasonCode.UnspecifiedError
            or ReasonCode.ImplementationSpecificError or ReasonCode.NotAuthorized or ReasonCode.TopicFilterInvalid
            or ReasonCode.PacketIdentifierInUse,
        PacketType.Disconnect => code is ReasonCode.NormalDisconnection or ReasonCode.DisconnectWithWillMessage
            or (>= ReasonCode.UnspecifiedError and <= ReasonCode.ImplementationSpecificError)
            or ReasonCode.NotAuthorized or ReasonCode.ServerBusy
            or (>= ReasonCode.ServerShuttingDown and <= ReasonCode.TopicNameInvalid and not ReasonCode.BadAuthenticationMethod)
            or (>= ReasonCode.ReceiveMaximumExceeded and <= ReasonCode.WildcardSubscriptionsNotSupported),
        PacketType.Auth => code is ReasonCode.Success or ReasonCode.ContinueAuthentication or ReasonCode.ReAuthenticate,
        _ => false,
    };

    /// <summary>Reads a reason code and checks that <paramref name="type"/> may carry it.</summary>
    public static bool TryRead(ref System.Buffers.SequenceReader<byte> reader, PacketType type, out ReasonCode code, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!reader.TryRead(out var value))
        {
            code = default;
            error = DecodeErrors.Truncated(FixedHeader.Name(type) + " reason code");
            return false;
        }

        code = (ReasonCode)value;
        if (!IsValidFor(type, code))
        {
            error = NotAReasonCode(type, value);
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The error for a byte that <paramref name="type"/> may not carry as its reason code.</summary>
    public static DecodeError NotAReasonCode(PacketType type, byte value) =>
        DecodeErrors.Malformed($"reading {FixedHeader.Name(type)} reason code: 0x{value:X2} is not a {FixedHeader.Name(type)} reason code");
}
