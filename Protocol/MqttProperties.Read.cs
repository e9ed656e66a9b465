using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>Decoding of a property list: the length, then identifier/value pairs.</summary>
public sealed partial record MqttProperties
{
    public MqttProperties()
    {
    }

    private MqttProperties(ref SequenceReader<byte> reader, PropertyScope scope, out DecodeError? error)
    {
        var allowed = PropertyRules.Allowed(scope);
        ulong seen = 0;
        List<UserProperty>? userProperties = null;
        List<uint>? subscriptionIdentifiers = null;
        error = null;
        while (reader.TryRead(out var id))
        {
            var bit = id < 64 ? 1UL << id : 0;
            if ((bit & PropertyRules.Known) == 0)
            {
                error = DecodeErrors.Malformed($"reading {PropertyRules.Name(scope)} properties: unknown property identifier 0x{id:X2}");
                return;
            }

            if ((bit & allowed) == 0)
            {
                error = DecodeErrors.Protocol($"{PropertyId.FieldName(id)} is not allowed in {PropertyRules.Name(scope)}");
                return;
            }

            if ((bit & seen) != 0 && !PropertyRules.MayRepeat(scope, id))
            {
                error = DecodeErrors.Protocol($"{PropertyId.FieldName(id)} appears more than once in {PropertyRules.Name(scope)}");
                return;
            }

            seen |= bit;

            switch (id)
            {
                case PropertyId.PayloadFormatIndicator:
                    PayloadFormatIndicator = PropertyValue.TryReadFlag(ref reader, id, out var format, out error) ? format : null;
                    break;
                case PropertyId.MessageExpiryInterval:
                    MessageExpiryInterval = PropertyValue.TryReadUInt32(ref reader, id, out var messageExpiry, out error) ? messageExpiry : null;
                    break;
                case PropertyId.ContentType:
                    ContentType = Utf8Field.TryRead(ref reader, PropertyId.FieldName(id), out var contentType, out error) ? contentType : null;
                    break;
                case PropertyId.ResponseTopic:
                    ResponseTopic = PropertyValue.TryReadResponseTopic(ref reader, out var responseTopic, out error) ? responseTopic : null;
                    break;
                case PropertyId.CorrelationData:
                    CorrelationData = BinaryField.TryRead(ref reader, PropertyId.FieldName(id), out var correlation, out error) ? correlation : null;
                    break;
                case PropertyId.SubscriptionIdentifier:
                    if (PropertyValue.TryReadSubscriptionIdentifier(ref reader, out var subscriptionIdentifier, out error))
                    {
                        (subscriptionIdentifiers ??= new List<uint>(1)).Add(subscriptionIdentifier);
                    }

                    break;
                case PropertyId.SessionExpiryInterval:
                    SessionExpiryInterval = PropertyValue.TryReadUInt32(ref reader, id, out var sessionExpiry, out error) ? sessionExpiry : null;
                    break;
                case PropertyId.AssignedClientIdentifier:
                    AssignedClientIdentifier = Utf8Field.TryRead(ref reader, PropertyId.FieldName(id), out var assigned, out error) ? assigned : null;
                    break;
                case PropertyId.ServerKeepAlive:
                    ServerKeepAlive = PropertyValue.TryReadUInt16(ref reader, id, out var keepAlive, out error) ? keepAlive : null;
                    break;
                case PropertyId.AuthenticationMethod:
                    AuthenticationMethod = Utf8Field.TryRead(ref reader, PropertyId.FieldName(id), out var method, out error) ? method : null;
                    break;
                case PropertyId.AuthenticationData:
                    AuthenticationData = BinaryField.TryRead(ref reader, PropertyId.FieldName(id), out var authentication, out error) ? authentication : null;
                    break;
                case PropertyId.RequestProblemInformation:
                    RequestProblemInformation = PropertyValue.TryReadFlag(ref reader, id, out var problem, out error) ? problem : null;
                    break;
                case PropertyId.WillDelayInterval:
                    WillDelayInterval = PropertyValue.TryReadUInt32(ref reader, id, out var willDelay, out error) ? willDelay : null;
                    break;
                case PropertyId.RequestResponseInformation:
                    RequestResponseInformation = PropertyValue.TryReadFlag(ref reader, id, out var response, out error) ? response : null;
                    break;
                case PropertyId.ResponseInformation:
                    ResponseInformation = Utf8Field.TryRead(ref reader, PropertyId.FieldName(id), out var responseInformation, out error) ? responseInformation : null;
                    break;
                case PropertyId.ServerReference:
                    ServerReference = Utf8Field.TryRead(ref reader, PropertyId.FieldName(id), out var serverReference, out error) ? serverReference : null;
                    break;
                case PropertyId.ReasonString:
                    ReasonString = Utf8Field.TryRead(ref reader, PropertyId.FieldName(id), out var reasonString, out error) ? reasonString : null;
                    break;
                case PropertyId.ReceiveMaximum:
                    ReceiveMaximum = PropertyValue.TryReadNonZeroUInt16(ref reader, id, ReasonCode.ProtocolError, out var receiveMaximum, out error) ? receiveMaximum : null;
                    break;
                case PropertyId.TopicAliasMaximum:
                    TopicAliasMaximum = PropertyValue.TryReadUInt16(ref reader, id, out var aliasMaximum, out error) ? aliasMaximum : null;
                    break;
                case PropertyId.TopicAlias:
                    TopicAlias = PropertyValue.TryReadNonZeroUInt16(ref reader, id, ReasonCode.TopicAliasInvalid, out var alias, out error) ? alias : null;
                    break;
                case PropertyId.MaximumQoS:
                    MaximumQoS = PropertyValue.TryReadFlag(ref reader, id, out var maximumQoS, out error) ? maximumQoS : null;
                    break;
                case PropertyId.RetainAvailable:
                    RetainAvailable = PropertyValue.TryReadFlag(ref reader, id, out var retain, out error) ? retain == 1 : null;
                    break;
                case PropertyId.UserProperty:
                    if (PropertyValue.TryReadUserProperty(ref reader, out var pair, out error))
                    {
                        (userProperties ??= new List<UserProperty>(2)).Add(pair);
                    }

                    break;
                case PropertyId.MaximumPacketSize:
                    MaximumPacketSize = PropertyValue.TryReadMaximumPacketSize(ref reader, out var maximumPacketSize, out error) ? maximumPacketSize : null;
                    break;
                case PropertyId.WildcardSubscriptionAvailable:
                    WildcardSubscriptionAvailable = PropertyValue.TryReadFlag(ref reader, id, out var wildcard, out error) ? wildcard == 1 : null;
                    break;
                case PropertyId.SubscriptionIdentifiersAvailable:
                    SubscriptionIdentifiersAvailable = PropertyValue.TryReadFlag(ref reader, id, out var identifiers, out error) ? identifiers == 1 : null;
                    break;
                case PropertyId.SharedSubscriptionAvailable:
                    SharedSubscriptionAvailable = PropertyValue.TryReadFlag(ref reader, id, out var shared, out error) ? shared == 1 : null;
                    break;
            }

            if (error is not null)
            {
                return;
            }
        }

        if (userProperties is not null)
        {
            UserProperties = userProperties;
        }

        if (subscriptionIdentifiers is not null)
        {
            SubscriptionIdentifiers = subscriptionIdentifiers;
        }
    }

    /// <summary>Reads a property length and the properties it covers; <see cref="Empty"/> when the length is 0.</summary>
    internal static bool TryRead(ref SequenceReader<byte> reader, PropertyScope scope, out MqttProperties properties, [NotNullWhen(false)] out DecodeError? error)
    {
        properties = Empty;
        if (!VariableByteInteger.TryRead(ref reader, "property length", out var length, out error))
        {
            return false;
        }

        if (length == 0)
        {
            return true;
        }

        if (length > reader.Remaining)
        {
            error = DecodeErrors.Truncated(PropertyRules.Name(scope) + " properties");
            return false;
        }

        var list = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length);
        properties = new MqttProperties(ref list, scope, out error);
        return error is null;
    }
}
