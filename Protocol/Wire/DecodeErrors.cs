namespace GrainMQ.Protocol;

/// <summary>The errors a decoder returns; each message names what was being read.</summary>
internal static class DecodeErrors
{
    public static DecodeError Malformed(string what) => new(ReasonCode.MalformedPacket, "malformed: " + what);

    public static DecodeError Protocol(string what) => new(ReasonCode.ProtocolError, "protocol error: " + what);

    public static DecodeError Refused(ReasonCode reasonCode, string what) => new(reasonCode, what);

    public static DecodeError Truncated(string field) => Malformed("reading " + field + ": the packet ends first");
}
