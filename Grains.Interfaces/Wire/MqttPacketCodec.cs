using System.Buffers;
using GrainMQ.Protocol;
using GrainMQ.Runtime.Cluster;

namespace GrainMQ.Grains.Interfaces.Wire;

/// <summary>
/// MQTT packets that cross processes (a session's packets to a connection) in their own wire format, MQTT 5 (which
/// keeps every field and property of the record), through the Protocol codec.
/// </summary>
internal sealed class MqttPacketCodec : IClusterMessageCodec
{
    public static MqttPacketCodec Instance { get; } = new();

    public void Write(object message, IBufferWriter<byte> output) => MqttEncoder.Write((MqttPacket)message, MqttProtocolVersion.V500, output);

    public object Read(ReadOnlySpan<byte> input) => Decode(input);

    public static MqttPacket Decode(ReadOnlySpan<byte> input)
    {
        var result = MqttDecoder.Decode(new ReadOnlySequence<byte>(input.ToArray()), MqttProtocolVersion.V500, int.MaxValue);
        return result.Status == DecodeStatus.Packet && result.Consumed == input.Length
            ? result.Packet!
            : throw new InvalidDataException($"malformed MQTT packet in a cluster message: {result.Error?.Message ?? "incomplete"}");
    }
}
