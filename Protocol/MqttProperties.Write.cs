namespace GrainMQ.Protocol;

/// <summary>Encoding of a property list, in identifier order, user properties in their own order.</summary>
public sealed partial record MqttProperties
{
    /// <summary>The bytes of the property length field plus the properties it covers.</summary>
    internal static int GetEncodedSize(int contentSize) => VariableByteInteger.GetSize(contentSize) + contentSize;

    /// <summary>The bytes of the properties, without the property length in front of them.</summary>
    internal int GetContentSize()
    {
        if (ReferenceEquals(this, Empty))
        {
            return 0;
        }

        var size = 0;
        size += PayloadFormatIndicator.HasValue ? 2 : 0;
        size += MessageExpiryInterval.HasValue ? 5 : 0;
        size += StringSize(ContentType);
        size += StringSize(ResponseTopic);
        size += BinarySize(CorrelationData);
        for (var i = 0; i < SubscriptionIdentifiers.Count; i++)
        {
            var identifier = SubscriptionIdentifiers[i];
            if (identifier is 0 or > VariableByteInteger.MaxValue)
            {
                throw new ArgumentException($"A subscription identifier is 1 to {VariableByteInteger.MaxValue}; got {identifier}.", nameof(SubscriptionIdentifiers));
            }

            size += 1 + VariableByteInteger.GetSize((int)identifier);
        }

        size += SessionExpiryInterval.HasValue ? 5 : 0;
        size += StringSize(AssignedClientIdentifier);
        size += ServerKeepAlive.HasValue ? 3 : 0;
        size += StringSize(AuthenticationMethod);
        size += BinarySize(AuthenticationData);
        size += RequestProblemInformation.HasValue ? 2 : 0;
        size += WillDelayInterval.HasValue ? 5 : 0;
        size += RequestResponseInformation.HasValue ? 2 : 0;
        size += StringSize(ResponseInformation);
        size += StringSize(ServerReference);
        size += StringSize(ReasonString);
        size += ReceiveMaximum.HasValue ? 3 : 0;
        size += TopicAliasMaximum.HasValue ? 3 : 0;
        size += TopicAlias.HasValue ? 3 : 0;
        size += MaximumQoS.HasValue ? 2 : 0;
        size += RetainAvailable.HasValue ? 2 : 0;
        for (var i = 0; i < UserProperties.Count; i++)
        {
            size += 1 + Utf8Field.GetSize(UserProperties[i].Name) + Utf8Field.GetSize(UserProperties[i].Value);
        }

        size += MaximumPacketSize.HasValue ? 5 : 0;
        size += WildcardSubscriptionAvailable.HasValue ? 2 : 0;
        size += SubscriptionIdentifiersAvailable.HasValue ? 2 : 0;
        size += SharedSubscriptionAvailable.HasValue ? 2 : 0;
        return size;
    }

    /// <summary>Writes the property length and the properties; <paramref name="contentSize"/> is <see cref="GetContentSize"/>.</summary>
    internal void Write(ref PacketWriter writer, int contentSize)
    {
        writer.WriteVariableByteInteger(contentSize);
        if (contentSize == 0)
        {
            return;
        }

        WriteByte(ref writer, PropertyId.PayloadFormatIndicator, PayloadFormatIndicator);
        WriteUInt32(ref writer, PropertyId.MessageExpiryInterval, MessageExpiryInterval);
        WriteString(ref writer, PropertyId.ContentType, ContentType);
        WriteString(ref writer, PropertyId.ResponseTopic, ResponseTopic);
        WriteBinary(ref writer, PropertyId.CorrelationData, CorrelationData);
        for (var i = 0; i < SubscriptionIdentifiers.Count; i++)
        {
            writer.WriteByte(PropertyId.SubscriptionIdentifier);
            writer.WriteVariableByteInteger((int)SubscriptionIdentifiers[i]);
        }

        WriteUInt32(ref writer, PropertyId.SessionExpiryInterval, SessionExpiryInterval);
        WriteString(ref writer, PropertyId.AssignedClientIdentifier, AssignedClientIdentifier);
        WriteUInt16(ref writer, PropertyId.ServerKeepAlive, ServerKeepAlive);
        WriteString(ref writer, PropertyId.AuthenticationMethod, AuthenticationMethod);
        WriteBinary(ref writer, PropertyId.AuthenticationData, AuthenticationData);
        WriteByte(ref writer, PropertyId.RequestProblemInformation, RequestProblemInformation);
        WriteUInt32(ref writer, PropertyId.WillDelayInterval, WillDelayInterval);
        WriteByte(ref writer, PropertyId.RequestResponseInformation, RequestResponseInformation);
        WriteString(ref writer, PropertyId.ResponseInformation, ResponseInformation);
        WriteString(ref writer, PropertyId.ServerReference, ServerReference);
        WriteString(ref writer, PropertyId.ReasonString, ReasonString);
        WriteUInt16(ref writer, PropertyId.ReceiveMaximum, ReceiveMaximum);
        WriteUInt16(ref writer, PropertyId.TopicAliasMaximum, TopicAliasMaximum);
        WriteUInt16(ref writer, PropertyId.TopicAlias, TopicAlias);
        WriteByte(ref writer, PropertyId.MaximumQoS, MaximumQoS);
        WriteFlag(ref writer, PropertyId.RetainAvailable, RetainAvailable);
        for (var i = 0; i < UserProperties.Count; i++)
        {
            writer.WriteByte(PropertyId.UserProperty);
            writer.WriteString(UserProperties[i].Name);
            writer.WriteString(UserProperties[i].Value);
        }

        WriteUInt32(ref writer, PropertyId.MaximumPacketSize, MaximumPacketSize);
        WriteFlag(ref writer, PropertyId.WildcardSubscriptionAvailable, WildcardSubscriptionAvailable);
        WriteFlag(ref writer, PropertyId.SubscriptionIdentifiersAvailable, SubscriptionIdentifiersAvailable);
        WriteFlag(ref writer, PropertyId.SharedSubscriptionAvailable, SharedSubscriptionAvailable);
    }

    private static int StringSize(string? value) => value is null ? 0 : 1 + Utf8Field.GetSize(value);

    private static int BinarySize(ReadOnlyMemory<byte>? value) => value.HasValue ? 1 + BinaryField.GetSize(value.Value) : 0;

    private static void WriteByte(ref PacketWriter writer, byte id, byte? value)
    {
        if (value.HasValue)
        {
            writer.WriteByte(id);
            writer.WriteByte(value.Value);
        }
    }

    private static void WriteFlag(ref PacketWriter writer, byte id, bool? value) =>
        WriteByte(ref writer, id, value.HasValue ? (byte)(value.Value ? 1 : 0) : null);

    private static void WriteUInt16(ref PacketWriter writer, byte id, ushort? value)
    {
        if (value.HasValue)
        {
            writer.WriteByte(id);
            writer.WriteUInt16(value.Value);
        }
    }

    private static void WriteUInt32(ref PacketWriter writer, byte id, uint? value)
    {
        if (value.HasValue)
        {
            writer.WriteByte(id);
            writer.WriteUInt32(value.Value);
        }
    }

    private static void WriteString(ref PacketWriter writer, byte id, string? value)
    {
        if (value is not null)
        {
            writer.WriteByte(id);
            writer.WriteString(value);
        }
    }

    private static void WriteBinary(ref PacketWriter writer, byte id, ReadOnlyMemory<byte>? value)
    {
        if (value.HasValue)
        {
            writer.WriteByte(id);
            writer.WriteBinary(value.Value.Span);
        }
    }
}
