using System.Buffers;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;

namespace GrainMQ.Grains.Interfaces.Wire;

/// <summary><see cref="SessionPacket"/>: the connection's observer id, then the packet in MQTT 5 wire format.</summary>
internal sealed class SessionPacketCodec : IClusterMessageCodec
{
    public void Write(object message, IBufferWriter<byte> output)
    {
        var packet = (SessionPacket)message;
        WireFormat.WriteString(output, packet.Connection.Silo);
        WireFormat.WriteInt64(output, packet.Connection.Id);
        MqttEncoder.Write(packet.Packet, MqttProtocolVersion.V500, output);
    }

    public object Read(ReadOnlySpan<byte> input)
    {
        var connection = new ObserverId(WireFormat.ReadRequiredString(ref input), WireFormat.ReadInt64(ref input));
        return new SessionPacket(connection, MqttPacketCodec.Decode(input));
    }
}
