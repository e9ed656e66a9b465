namespace GrainMQ.Protocol;

/// <summary>Quality of service of a message or a subscription.</summary>
public enum MqttQoS : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
