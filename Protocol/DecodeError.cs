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
/// True when the frame was read completely and is well-framed but its content is refused (for example
/// CONNECT with an unsupported protocol level: reply CONNACK 0x84, or return code 1 in MQTT 3, then close).
/// </param>
public sealed record DecodeError(ReasonCode ReasonCode, string Message, ConnectReturnCode? V3ConnectReturnCode = null, bool FrameIntact = false);
