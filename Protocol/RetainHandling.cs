namespace GrainMQ.Protocol;

/// <summary>MQTT 5 subscription option: when retained messages are sent for a new subscription.</summary>
public enum RetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNew = 1,
    DoNotSend = 2,
}
