using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// Writes MQTT packets straight into the spans of an <see cref="IBufferWriter{T}"/>. A packet that
/// cannot be encoded (a string over 65,535 UTF-8 bytes, a packet over the 268,435,455-byte limit, AUTH
/// before MQTT 5) is a programming error and throws <see cref="ArgumentException"/>.
/// </summary>
public static class MqttEncoder
{
    /// <summary>Writes <paramref name="packet"/> as <paramref name="version"/> defines it (CONNECT by its own version).</summary>
    public static void Write(MqttPacket packet, MqttProtocolVersion version, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        switch (packet)
        {
            case PublishPacket publish:
                PublishPacket.Write(publish, version, output);
                break;
            case PubAckPacket pubAck:
                PubAckPacket.Write(pubAck, version, output);
                break;
            case PubRecPacket pubRec:
                PubRecPacket.Write(pubRec, version, output);
                break;
            case PubRelPacket pubRel:
                PubRelPacket.Write(pubRel, version, output);
                break;
            case PubCompPacket pubComp:
                PubCompPacket.Write(pubComp, version, output);
                break;
            case ConnectPacket connect:
                ConnectPacket.Write(connect, output);
                break;
            case ConnAckPacket connAck:
                ConnAckPacket.Write(connAck, version, output);
                break;
            case SubscribePacket subscribe:
                SubscribePacket.Write(subscribe, version, output);
                break;
            case SubAckPacket subAck:
                SubAckPacket.Write(subAck, version, output);
                break;
            case UnsubscribePacket unsubscribe:
                UnsubscribePacket.Write(unsubscribe, version, output);
                break;
            case UnsubAckPacket unsubAck:
                UnsubAckPacket.Write(unsubAck, version, output);
                break;
            case PingReqPacket:
                PingReqPacket.Write(output);
                break;
            case PingRespPacket:
                PingRespPacket.Write(output);
                break;
            case DisconnectPacket disconnect:
                DisconnectPacket.Write(disconnect, version, output);
                break;
            case AuthPacket auth:
                AuthPacket.Write(auth, version, output);
                break;
            default:
                throw new ArgumentException($"Unknown packet type {packet.GetType()}.", nameof(packet));
        }
    }

    /// <summary>The size of the whole encoded packet, fixed header included.</summary>
    public static int GetEncodedSize(MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var remainingLength = packet switch
        {
            PublishPacket publish => PublishPacket.GetRemainingLength(publish, version),
            PubAckPacket pubAck => PubAckPacket.GetRemainingLength(pubAck, version),
            PubRecPacket pubRec => PubRecPacket.GetRemainingLength(pubRec, version),
            PubRelPacket pubRel => PubRelPacket.GetRemainingLength(pubRel, version),
            PubCompPacket pubComp => PubCompPacket.GetRemainingLength(pubComp, version),
            ConnectPacket connect => ConnectPacket.GetRemainingLength(connect),
            ConnAckPacket connAck => ConnAckPacket.GetRemainingLength(connAck, version),
            SubscribePacket subscribe => SubscribePacket.GetRemainingLength(subscribe, version),
            SubAckPacket subAck => SubAckPacket.GetRemainingLength(subAck, version),
            UnsubscribePacket unsubscribe => UnsubscribePacket.GetRemainingLength(unsubscribe, version),
            UnsubAckPacket unsubAck => UnsubAckPacket.GetRemainingLength(unsubAck, version),
            PingReqPacket or PingRespPacket => 0,
            DisconnectPacket disconnect => DisconnectPacket.GetRemainingLength(disconnect, version),
            AuthPacket auth => AuthPacket.GetRemainingLength(auth, version),
            _ => throw new ArgumentException($"Unknown packet type {packet.GetType()}.", nameof(packet)),
        };
        return 1 + VariableByteInteger.GetSize(remainingLength) + remainingLength;
    }
}
