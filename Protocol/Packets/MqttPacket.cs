namespace GrainMQ.Protocol;

/// <summary>An MQTT control packet. Packets are immutable values; equality compares content.</summary>
public abstract record MqttPacket
{
    /// <summary>The control packet type of the fixed header.</summary>
    public abstract PacketType Type { get; }
}
