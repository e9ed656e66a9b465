namespace GrainMQ.Protocol;

/// <summary>The will message carried by CONNECT; <paramref name="Properties"/> are the will properties (MQTT 5).</summary>
public sealed record WillMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQoS QoS, bool Retain, MqttProperties Properties)
{
    public bool Equals(WillMessage? other) =>
        other is not null
        && Topic == other.Topic
        && ValueEquality.BytesEqual(Payload, other.Payload)
        && QoS == other.QoS
        && Retain == other.Retain
        && Properties.Equals(other.Properties);

    public override int GetHashCode() => HashCode.Combine(Topic, Payload.Length, QoS, Retain, Properties);
}
