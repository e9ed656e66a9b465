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
        packet.Write(version, output);
    }

    /// <summary>The size of the whole encoded packet, fixed header included.</summary>
    public static int GetEncodedSize(MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var remainingLength = packet.GetRemainingLength(version);
        return 1 + VariableByteInteger.GetSize(remainingLength) + remainingLength;
    }
}
