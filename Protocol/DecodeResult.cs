namespace GrainMQ.Protocol;

/// <summary>The outcome of one <see cref="MqttDecoder.Decode"/> call.</summary>
public readonly struct DecodeResult
{
    private DecodeResult(DecodeStatus status, MqttPacket? packet, long consumed, int bytesNeeded, DecodeError? error)
    {
        Status = status;
        Packet = packet;
        Consumed = consumed;
        BytesNeeded = bytesNeeded;
        Error = error;
    }

    public DecodeStatus Status { get; }

    /// <summary>The decoded packet when <see cref="Status"/> is <see cref="DecodeStatus.Packet"/>.</summary>
    public MqttPacket? Packet { get; }

    /// <summary>
    /// Bytes of the whole packet, fixed header included. Also set for an error whose frame length is
    /// known (the frame was buffered completely), zero otherwise.
    /// </summary>
    public long Consumed { get; }

    /// <summary>When <see cref="Status"/> is <see cref="DecodeStatus.NeedMoreData"/>: at least this many more bytes are needed.</summary>
    public int BytesNeeded { get; }

    /// <summary>Why the bytes were refused when <see cref="Status"/> is <see cref="DecodeStatus.Error"/>.</summary>
    public DecodeError? Error { get; }

    internal static DecodeResult Decoded(MqttPacket packet, long consumed) => new(DecodeStatus.Packet, packet, consumed, 0, null);

    internal static DecodeResult NeedMore(int bytesNeeded) => new(DecodeStatus.NeedMoreData, null, 0, bytesNeeded, null);

    internal static DecodeResult Failed(DecodeError error, long consumed) => new(DecodeStatus.Error, null, consumed, 0, error);
}
