using GrainMQ.Protocol;

namespace GrainMQ.Grains.Interfaces;

/// <summary>
/// Asks a session grain (AskAsync) to describe itself for operators (the dashboard's client view); the reply is a
/// <see cref="SessionInspection"/>. It changes nothing, but it does activate a hibernated session: callers that must
/// not wake it read the stored state instead.
/// </summary>
public sealed record InspectSession
{
    /// <summary>The shared instance.</summary>
    public static InspectSession Instance { get; } = new();
}

/// <summary>What a session holds, as an operator sees it.</summary>
/// <param name="ClientId">The client identifier (the session grain's key).</param>
/// <param name="Exists">False when no session exists for the client id.</param>
/// <param name="Connected">Whether a connection is attached.</param>
/// <param name="ProtocolVersion">The protocol level of the client's last CONNECT.</param>
/// <param name="SessionExpiryInterval">Seconds the session outlives its connection (<see cref="uint.MaxValue"/> = never).</param>
/// <param name="DisconnectedAtUnixMs">When the client disconnected; null while connected.</param>
/// <param name="Subscriptions">The session's subscriptions.</param>
/// <param name="QueuedMessages">Messages waiting (offline or beyond the inflight window).</param>
/// <param name="InflightMessages">Outbound QoS 1/2 messages sent and not yet completed.</param>
/// <param name="AwaitingRelease">Inbound QoS 2 messages waiting for PUBREL.</param>
/// <param name="HasWill">Whether a will is set (or pending).</param>
public sealed record SessionInspection(
    string ClientId,
    bool Exists,
    bool Connected,
    MqttProtocolVersion ProtocolVersion,
    uint SessionExpiryInterval,
    long? DisconnectedAtUnixMs,
    IReadOnlyList<SubscriptionInspection> Subscriptions,
    int QueuedMessages,
    int InflightMessages,
    int AwaitingRelease,
    bool HasWill);

/// <summary>One subscription of an inspected session.</summary>
public sealed record SubscriptionInspection(string Filter, MqttQoS QoS, bool NoLocal, bool RetainAsPublished, uint SubscriptionIdentifier);
