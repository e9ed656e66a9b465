using System.Buffers;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// A hand-written binary encoding for one message type, used instead of JSON for messages on the hot path (one per
/// PUBLISH and hop). Register it with <see cref="ClusterSerializationOptions.AddType(Type, string, IClusterMessageCodec)"/>.
/// </summary>
public interface IClusterMessageCodec
{
    /// <summary>Appends the encoding of <paramref name="message"/> to <paramref name="output"/>.</summary>
    void Write(object message, IBufferWriter<byte> output);

    /// <summary>The message encoded in the whole of <paramref name="input"/>; throws <see cref="InvalidDataException"/> when malformed.</summary>
    object Read(ReadOnlySpan<byte> input);
}
