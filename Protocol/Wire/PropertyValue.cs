using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>Readers for the value of one property; a value cut short by the property length is malformed.</summary>
internal static class PropertyValue
{
    public static bool TryReadFlag(ref SequenceReader<byte> reader, byte id, out byte value, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!reader.TryRead(out value))
        {
            error = DecodeErrors.Truncated(PropertyId.FieldName(id));
            return false;
        }

        if (value > 1)
        {
            error = DecodeErrors.Protocol($"{PropertyId.FieldName(id)} is {value}; only 0 and 1 are allowed");
            return false;
        }

        error = null;
        return true;
    }

    public static bool TryReadUInt16(ref SequenceReader<byte> reader, byte id, out ushort value, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!reader.TryReadBigEndian(out short raw))
        {
            value = 0;
            error = DecodeErrors.Truncated(PropertyId.FieldName(id));
            return false;
        }

        value = (ushort)raw;
        error = null;
        return true;
    }

    public static bool TryReadNonZeroUInt16(ref SequenceReader<byte> reader, byte id, ReasonCode whenZero, out ushort value, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!TryReadUInt16(ref reader, id, out value, out error))
        {
            return false;
        }

        if (value == 0)
        {
            error = DecodeErrors.Refused(whenZero, $"protocol error: {PropertyId.FieldName(id)} is 0");
            return false;
        }

        return true;
    }

    public static bool TryReadUInt32(ref SequenceReader<byte> reader, byte id, out uint value, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!reader.TryReadBigEndian(out int raw))
        {
            value = 0;
            error = DecodeErrors.Truncated(PropertyId.FieldName(id));
            return false;
        }

        value = (uint)raw;
        error = null;
        return true;
    }

    public static bool TryReadUserProperty(ref SequenceReader<byte> reader, out UserProperty pair, [NotNullWhen(false)] out DecodeError? error)
    {
        pair = default;
        if (!Utf8Field.TryRead(ref reader, "property 0x26 user property name", out var name, out error)
            || !Utf8Field.TryRead(ref reader, "property 0x26 user property value", out var value, out error))
        {
            return false;
        }

        pair = new UserProperty(name, value);
        return true;
    }

    public static bool TryReadResponseTopic(ref SequenceReader<byte> reader, out string topic, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!Utf8Field.TryRead(ref reader, PropertyId.FieldName(PropertyId.ResponseTopic), out topic, out error))
        {
            return false;
        }

        if (!TopicValidation.IsValidTopicName(topic))
        {
            error = DecodeErrors.Protocol("property 0x08 response topic is not a valid topic name");
            return false;
        }

        return true;
    }

    public static bool TryReadSubscriptionIdentifier(ref SequenceReader<byte> reader, out uint identifier, [NotNullWhen(false)] out DecodeError? error)
    {
        identifier = 0;
        if (!VariableByteInteger.TryRead(ref reader, PropertyId.FieldName(PropertyId.SubscriptionIdentifier), out var value, out error))
        {
            return false;
        }

        if (value == 0)
        {
            error = DecodeErrors.Protocol("property 0x0B subscription identifier is 0");
            return false;
        }

        identifier = (uint)value;
        return true;
    }

    public static bool TryReadMaximumPacketSize(ref SequenceReader<byte> reader, out uint size, [NotNullWhen(false)] out DecodeError? error)
    {
        if (!TryReadUInt32(ref reader, PropertyId.MaximumPacketSize, out size, out error))
        {
            return false;
        }

        if (size == 0)
        {
            error = DecodeErrors.Protocol("property 0x27 maximum packet size is 0");
            return false;
        }

        return true;
    }
}
