namespace GrainMQ.Protocol;

/// <summary>An MQTT 5 user property (0x26): a name/value string pair; names may repeat.</summary>
public readonly record struct UserProperty(string Name, string Value);
