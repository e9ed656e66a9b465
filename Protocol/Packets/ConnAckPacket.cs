using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>CONNACK. In MQTT 3 the reason code is sent as the <see cref="ConnectReturnCode"/> that <see cref="ToV3ReturnCode"/> maps it to.</summary>
public sealed record ConnAckPacket(bool SessionPresent, ReasonCode ReasonCode, MqttProperties Properties) : MqttPacket
{
    private const byte SessionPresentFlag = 0x01;

    public override PacketType Type => PacketType.ConnAck;

    /// <summary>The MQTT 3 CONNACK return code closest to an MQTT 5 reason code.</summary>
    public static ConnectReturnCode ToV3ReturnCode(ReasonCode reasonCode) => reasonCode switch
    {
        ReasonCode.Success => ConnectReturnCode.Accepted,
        ReasonCode.UnsupportedProtocolVersion => ConnectReturnCode.UnacceptableProtocolVersion,
        ReasonCode.ClientIdentifierNotValid => ConnectReturnCode.IdentifierRejected,
        ReasonCode.BadUserNameOrPassword => ConnectReturnCode.BadUserNameOrPassword,
        ReasonCode.NotAuthorized or ReasonCode.Banned or ReasonCode.BadAuthenticationMethod => ConnectReturnCode.NotAuthorized,
        _ => ConnectReturnCode.ServerUnavailable,
    };

    /// <summary>The MQTT 5 reason code for an MQTT 3 CONNACK return code.</summary>
    public static ReasonCode FromV3ReturnCode(ConnectReturnCode returnCode) => returnCode switch
    {
        ConnectReturnCode.Accepted => ReasonCode.Success,
        ConnectReturnCode.UnacceptableProtocolVersion => ReasonCode.UnsupportedProtocolVersion,
        ConnectReturnCode.IdentifierRejected => ReasonCode.ClientIdentifierNotValid,
        ConnectReturnCode.BadUserNameOrPassword => ReasonCode.BadUserNameOrPassword,
        ConnectReturnCode.NotAuthorized => ReasonCode.NotAuthorized,
        _ => ReasonCode.ServerUnavailable,
    };

    internal static bool Read(ref SequenceReader<byte> reader, MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet, [NotNullWhen(false)] out DecodeError? error)
    {
        packet = null;
        if (!reader.TryRead(out var acknowledgeFlags) || !reader.TryRead(out var code))
        {
            error = DecodeErrors.Truncated("CONNACK variable header");
            return false;
        }

        if (version != MqttProtocolVersion.V310 && (acknowledgeFlags & ~SessionPresentFlag) != 0)
        {
            error = DecodeErrors.Malformed("reading CONNACK acknowledge flags: reserved bits set");
            return false;
        }

        var sessionPresent = version != MqttProtocolVersion.V310 && acknowledgeFlags == SessionPresentFlag;
        if (version != MqttProtocolVersion.V500)
        {
            if (code > (byte)ConnectReturnCode.NotAuthorized)
            {
                error = DecodeErrors.Malformed($"reading CONNACK return code: {code} is not a return code");
                return false;
            }

            error = null;
            packet = new ConnAckPacket(sessionPresent, FromV3ReturnCode((ConnectReturnCode)code), MqttProperties.Empty);
            return true;
        }

        if (!ReasonCodeRules.IsValidFor(PacketType.ConnAck, (ReasonCode)code))
        {
            error = ReasonCodeRules.NotAReasonCode(PacketType.ConnAck, code);
            return false;
        }

        if (!MqttProperties.TryRead(ref reader, PropertyScope.ConnAck, out var properties, out error))
        {
            return false;
        }

        packet = new ConnAckPacket(sessionPresent, (ReasonCode)code, properties);
        return true;
    }

    internal override int GetRemainingLength(MqttProtocolVersion version) => GetRemainingLength(version, out _);

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        var remainingLength = GetRemainingLength(version, out var propertiesSize);
        var writer = new PacketWriter(output, FixedHeader.FirstByte(PacketType.ConnAck), remainingLength);
        writer.WriteByte(SessionPresent && version != MqttProtocolVersion.V310 ? SessionPresentFlag : (byte)0);
        if (version == MqttProtocolVersion.V500)
        {
            writer.WriteByte((byte)ReasonCode);
            Properties.Write(ref writer, propertiesSize);
        }
        else
        {
            writer.WriteByte((byte)ToV3ReturnCode(ReasonCode));
        }

        writer.Commit();
    }

    private int GetRemainingLength(MqttProtocolVersion version, out int propertiesSize)
    {
        propertiesSize = version == MqttProtocolVersion.V500 ? Properties.GetContentSize() : 0;
        return version == MqttProtocolVersion.V500 ? 2 + MqttProperties.GetEncodedSize(propertiesSize) : 2;
    }
}
