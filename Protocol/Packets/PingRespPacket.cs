using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>PINGRESP: no content, so one shared instance.</summary>
public sealed record PingRespPacket : MqttPacket
{
    private PingRespPacket()
    {
    }

    public static PingRespPacket Instance { get; } = new();

    public override PacketType Type => PacketType.PingResp;

    /// <summary>PINGRESP has no body; <see cref="MqttDecoder"/> refuses any bytes after the fixed header.</summary>
    internal static MqttPacket Read() => Instance;

    internal override int GetRemainingLength(MqttProtocolVersion version) => 0;

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output) =>
        new PacketWriter(output, FixedHeader.FirstByte(PacketType.PingResp), 0).Commit();
}
