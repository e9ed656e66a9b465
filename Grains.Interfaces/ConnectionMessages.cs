using GrainMQ.Protocol;

namespace GrainMQ.Grains.Interfaces;

// Messages from grains to a gateway connection (an IGrainObserver). Besides these, a session sends plain
// GrainMQ.Protocol packet records (ConnAckPacket, PublishPacket, PubAckPacket, PubRecPacket, PubRelPacket,
// PubCompPacket, SubAckPacket, UnsubAckPacket) which the connection encodes and writes as they are, after
// applying its outbound topic aliases.

/// <summary>
/// Close the connection: a v5 client first gets DISCONNECT with <paramref name="ReasonCode"/> (e.g.
/// <see cref="ReasonCode.SessionTakenOver"/>), a v3 client is simply closed.
/// </summary>
public sealed record CloseConnection(ReasonCode ReasonCode, string? ReasonString);
