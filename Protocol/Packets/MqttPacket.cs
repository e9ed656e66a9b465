using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>
/// An MQTT control packet. Packets are immutable values; equality compares content. Each packet type writes itself
/// (its <c>Write</c> beside its static <c>Read</c>), so <see cref="MqttEncoder"/> needs no list of types; only
/// <see cref="MqttDecoder"/>, which has no packet yet, picks the type from the fixed header.
/// </summary>
public abstract record MqttPacket
{
    /// <summary>The control packet type of the fixed header.</summary>
    public abstract PacketType Type { get; }

    /// <summary>The length of the packet after the fixed header, as <paramref name="version"/> encodes it.</summary>
    internal abstract int GetRemainingLength(MqttProtocolVersion version);

    /// <summary>Writes the whole packet, fixed header included, as <paramref name="version"/> defines it.</summary>
    internal abstract void Write(MqttProtocolVersion version, IBufferWriter<byte> output);
}
