using System.Buffers;

namespace GrainMQ.Protocol;

/// <summary>PINGREQ: no content, so one shared instance.</summary>
public sealed record PingReqPacket : MqttPacket
{
    private PingReqPacket()
    {
    }

    public static PingReqPacket Instance { get; } = new();

    public override PacketType Type => PacketType.PingReq;

    /// <summary>PINGREQ has no body; <see cref="MqttDecoder"/> refuses any bytes after the fixed header.</summary>
    internal static MqttPacket Read() => Instance;

    internal override int GetRemainingLength(MqttProtocolVersion version) => 0;

    internal override void Write(MqttProtocolVersion version, IBufferWriter<byte> output) =>
        new PacketWriter(output, FixedHeader.FirstByte(PacketType.PingReq), 0).Commit();
}
