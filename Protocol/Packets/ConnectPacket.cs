using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// CONNECT. <paramref name="CleanStart"/> is Clean Session in MQTT 3. The packet is encoded by its own
/// <paramref name="ProtocolVersion"/>, whatever version the encoder is given.
/// </summary>
public sealed record ConnectPacket(
    MqttProtocolVersion ProtocolVersion,
    string ClientId,
    bool CleanStart,
    ushort KeepAlive,
    string? UserName,
    ReadOnlyMemory<byte>? Password,
    WillMessage? Will,
    MqttProperties Properties) : MqttPacket
{
    private const byte ReservedFlag = 0x01;
    private const byte CleanStartFlag = 0x02;
    private const byte WillFlag = 0x04;
    private const int WillQoSShift = 3;
    private const byte WillRetainFlag = 0x20;
    private const byte PasswordFlag = 0x40;
    private const byte UserNameFlag = 0x80;

    public override PacketType Type => PacketType.Connect;

    public bool Equals(ConnectPacket? other) =>
        other is not null
        && ProtocolVersion == other.ProtocolVersion
        && ClientId == other.ClientId
        && CleanStart == other.CleanStart
        && KeepAlive == other.KeepAlive
        && UserName == other.UserName
        && ValueEquality.BytesEqual(Password, other.Password)
        && Equals(Will, other.Will)
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(ProtocolVersion, ClientId, CleanStart, KeepAlive, UserName, Will, Properties);

    internal static bool Read(ref SequenceReader<byte> reader, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!ProtocolName.TryRead(ref reader, out var version, out error))
        {
            return false;
        }

        if (ReadAfterProtocolName(ref reader, version, out packet, out error))
        {
            return true;
        }

        error = Answerable(error, version);
        return false;
    }

    /// <summary>
    /// An MQTT 5 CONNECT that was read whole but is refused may be answered with a CONNACK carrying the reason code
    /// before the connection closes (MQTT 5.0 3.1.4): such an error is marked <see cref="DecodeError.FrameIntact"/>.
    /// MQTT 3 has no return code for a malformed CONNECT, so its errors stay as they are (the connection just closes).
    /// </summary>
    internal static DecodeError Answerable(DecodeError error, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500 && !error.FrameIntact && ReasonCodeRules.IsValidFor(PacketType.ConnAck, error.ReasonCode)
            ? error with { FrameIntact = true }
            : error;

    private static bool ReadAfterProtocolName(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!reader.TryRead(out var flags) || !reader.TryReadBigEndian(out short keepAlive))
        {
            error = DecodeErrors.Truncated("CONNECT variable header");
            return false;
        }

        if (!TryCheckFlags(flags, version, out error))
        {
            return false;
        }

        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, PropertyScope.Connect, out properties, out error))
        {
            return false;
        }

        if (!Utf8Field.TryRead(ref reader, "client identifier", out var clientId, out error))
        {
            return false;
        }

        var cleanStart = (flags & CleanStartFlag) != 0;
        if (clientId.Length == 0 && (version == MqttProtocolVersion.V310 || (version == MqttProtocolVersion.V311 && !cleanStart)))
        {
            error = new DecodeError(ReasonCode.ClientIdentifierNotValid, "client identifier is empty", ConnectReturnCode.IdentifierRejected, FrameIntact: true);
            return false;
        }

        WillMessage? will = null;
        if ((flags & WillFlag) != 0 && !TryReadWill(ref reader, flags, version, out will, out error))
        {
            return false;
        }

        string? userName = null;
        if ((flags & UserNameFlag) != 0 && !Utf8Field.TryRead(ref reader, "user name", out userName, out error))
        {
            return false;
        }

        ReadOnlyMemory<byte>? password = null;
        if ((flags & PasswordFlag) != 0)
        {
            if (!BinaryField.TryRead(ref reader, "password", out var passwordBytes, out error))
            {
                return false;
            }

            password = passwordBytes;
        }

        packet = new ConnectPacket(version, clientId, cleanStart, (ushort)keepAlive, userName, password, will, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) => GetRemainingLength(out _, out _);

    /// <remarks>CONNECT is encoded by its own <see cref="ProtocolVersion"/>, whatever <paramref name="version"/> says.</remarks>
    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(out var propertiesSize, out var willPropertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.Connect), remainingLength);
        ProtocolName.Write(ref writer, ProtocolVersion);
        writer.WriteByte(GetFlags());
        writer.WriteUInt16(KeepAlive);
        if (ProtocolVersion == MqttProtocolVersion.V500)
        {
            Properties.Write(ref writer, propertiesSize);
        }

        writer.WriteString(ClientId);
        if (Will is { } will)
        {
            if (ProtocolVersion == MqttProtocolVersion.V500)
            {
                will.Properties.Write(ref writer, willPropertiesSize);
            }

            writer.WriteString(will.Topic);
            writer.WriteBinary(will.Payload.Span);
        }

        if (UserName is not null)
        {
            writer.WriteString(UserName);
        }

        if (Password is { } password)
        {
            writer.WriteBinary(password.Span);
        }

        writer.Commit();
    }

    private static bool TryCheckFlags(byte flags, MqttProtocolVersion version, [NotNullWhen(false)] out DecodeError? error)
    {
        var willQoS = (flags >> WillQoSShift) & 0b11;
        error = null;
        if ((flags & ReservedFlag) != 0)
        {
            error = DecodeErrors.Malformed("reading CONNECT flags: reserved bit 0 is set");
        }
        else if (willQoS == 3)
        {
            error = DecodeErrors.Malformed("reading CONNECT flags: will QoS 3");
        }
        else if ((flags & WillFlag) == 0 && (willQoS != 0 || (flags & WillRetainFlag) != 0))
        {
            error = DecodeErrors.Malformed("reading CONNECT flags: will QoS or will retain set without the will flag");
        }
        else if ((flags & PasswordFlag) != 0 && (flags & UserNameFlag) == 0 && version != MqttProtocolVersion.V500)
        {
            error = DecodeErrors.Malformed("reading CONNECT flags: password flag set without the user name flag");
        }

        return error is null;
    }

    private static bool TryReadWill(ref SequenceReader<byte> reader, byte flags, MqttProtocolVersion version, [NotNullWhen(true)] out WillMessage? will, [NotNullWhen(false)] out DecodeError? error)
    {
        will = null;
        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500 && !MqttProperties.TryRead(ref reader, PropertyScope.Will, out properties, out error))
        {
            return false;
        }

        if (!Utf8Field.TryRead(ref reader, "will topic", out var topic, out error)
            || !BinaryField.TryRead(ref reader, "will payload", out var payload, out error))
        {
            return false;
        }

        if (!TopicValidation.IsValidTopicName(topic))
        {
            error = DecodeErrors.Refused(ReasonCode.TopicNameInvalid, "will topic invalid: " + topic);
            return false;
        }

        will = new WillMessage(topic, payload, (MqttQoS)((flags >> WillQoSShift) & 0b11), (flags & WillRetainFlag) != 0, properties);
        return true;
    }

    private byte GetFlags()
    {
        var flags = CleanStart ? CleanStartFlag : 0;
        if (Will is { } will)
        {
            flags |= WillFlag | ((int)will.QoS << WillQoSShift) | (will.Retain ? WillRetainFlag : 0);
        }

        flags |= UserName is null ? 0 : UserNameFlag;
        flags |= Password is null ? 0 : PasswordFlag;
        return (byte)flags;
    }

    private int GetRemainingLength(out int propertiesSize, out int willPropertiesSize)
    {
        var v5 = ProtocolVersion == MqttProtocolVersion.V500;
        propertiesSize = v5 ? Properties.GetContentSize() : 0;
        willPropertiesSize = 0;
        var length = ProtocolName.GetSize(ProtocolVersion) + 1 + 2 + Utf8Field.GetSize(ClientId);
        if (v5)
        {
            length += MqttProperties.GetEncodedSize(propertiesSize);
        }

        if (Will is { } will)
        {
            length += Utf8Field.GetSize(will.Topic) + BinaryField.GetSize(will.Payload);
            if (v5)
            {
                willPropertiesSize = will.Properties.GetContentSize();
                length += MqttProperties.GetEncodedSize(willPropertiesSize);
            }
        }

        length += UserName is null ? 0 : Utf8Field.GetSize(UserName);
        length += Password is { } password ? BinaryField.GetSize(password) : 0;
        return length;
    }
}
