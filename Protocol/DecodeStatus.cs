namespace GrainMQ.Protocol;

/// <summary>What <see cref="MqttDecoder.Decode"/> found at the start of the buffer.</summary>
public enum DecodeStatus
{
    /// <summary>A whole packet was decoded; <see cref="DecodeResult.Consumed"/> bytes belong to it.</summary>
    Packet,

    /// <summary>The buffer ends before the packet does; read more and try again.</summary>
    NeedMoreData,

    /// <summary>The bytes are not an acceptable packet; see <see cref="DecodeResult.Error"/>.</summary>
    Error,
}
