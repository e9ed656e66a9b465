using GrainMQ.Protocol;

namespace GrainMQ.Grains.Interfaces;

/// <summary>
/// An application message as the broker routes, queues and stores it: the data of a PUBLISH, without anything
/// that belongs to one hop (packet id, DUP, topic alias, subscription identifiers).
/// </summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Payload">The payload; owned by the message (never a pooled buffer).</param>
/// <param name="QoS">The QoS it was published with.</param>
/// <param name="Retain">The RETAIN flag it was published with.</param>
/// <param name="Properties">The MQTT 5 properties forwarded unchanged to subscribers; null when there are none.</param>
/// <param name="ExpiresAtUnixMs">When the message expires (Unix milliseconds, from the v5 Message Expiry Interval); null = never.</param>
public sealed record BrokerMessage(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQoS QoS,
    bool Retain,
    MessageProperties? Properties,
    long? ExpiresAtUnixMs);

/// <summary>The MQTT 5 PUBLISH properties a broker forwards to subscribers unchanged.</summary>
public sealed record MessageProperties(
    byte? PayloadFormatIndicator,
    string? ContentType,
    string? ResponseTopic,
    ReadOnlyMemory<byte>? CorrelationData,
    IReadOnlyList<UserProperty> UserProperties);
