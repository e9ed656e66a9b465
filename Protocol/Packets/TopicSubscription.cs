namespace GrainMQ.Protocol;

/// <summary>One topic filter of SUBSCRIBE with its options (NoLocal, RetainAsPublished and RetainHandling are MQTT 5).</summary>
public sealed record TopicSubscription(string Filter, MqttQoS QoS, bool NoLocal, bool RetainAsPublished, RetainHandling RetainHandling);
