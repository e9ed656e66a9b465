namespace GrainMQ.Protocol;

/// <summary>
/// Why a packet was refused. <paramref name="Message"/> names what was being read
/// ("malformed: reading topic name length"); <paramref name="ReasonCode"/> is the MQTT 5 code to
/// answer with (DISCONNECT, or CONNACK for a refused CONNECT).
/// </summary>
/// <param name="ReasonCode">The MQTT 5 reason code for the reply.</param>
/// <param name="Message">What was being read and what was wrong with it.</param>
/// <param name="V3ConnectReturnCode">For a refused CONNECT, the MQTT 3 CONNACK return code to send.</param>
/// <param name="FrameIntact">
/// True for a CONNECT that was read completely but is refused, and is to be answered with a CONNACK before the
/// connection closes: in the MQTT 3 form when <paramref name="V3ConnectReturnCode"/> is set (unsupported protocol
/// level: return code 1; empty client identifier in 3.1/3.1.1: return code 2), otherwise an MQTT 5 CONNACK with
/// <paramref name="ReasonCode"/> (any refused MQTT 5 CONNECT: a malformed property, a will topic with a wildcard, ...).
/// </param>
public sealed record DecodeError(ReasonCode ReasonCode, string Message, ConnectReturnCode? V3ConnectReturnCode = null, bool FrameIntact = false);
