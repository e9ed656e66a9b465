using System.Buffers;
using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

public class EncoderTests
{
    private static readonly ArrayBufferWriter<byte> Output = new();

    [Fact]
    public void Mqtt_3_encoding_leaves_out_properties_and_reason_codes()
    {
        var properties = new MqttProperties { ReasonString = "ignored" };

        Assert.Equal(Codec.Bytes("40 02   00 07"), Codec.Encode(new PubAckPacket(7, ReasonCode.QuotaExceeded, properties), MqttProtocolVersion.V311));
        Assert.Equal(Codec.Bytes("E0 00"), Codec.Encode(new DisconnectPacket(ReasonCode.ServerBusy, properties), MqttProtocolVersion.V311));
        Assert.Equal(Codec.Bytes("B0 02   00 07"), Codec.Encode(new UnsubAckPacket(7, [ReasonCode.Success], properties), MqttProtocolVersion.V311));
    }

    [Fact]
    public void Mqtt_5_acknowledgement_with_a_reason_code_and_no_properties_leaves_out_the_property_length()
    {
        Assert.Equal(Codec.Bytes("50 03   00 07   10"), Codec.Encode(new PubRecPacket(7, ReasonCode.NoMatchingSubscribers, MqttProperties.Empty), MqttProtocolVersion.V500));
    }

    [Fact]
    public void Empty_properties_built_by_hand_encode_like_the_shared_empty_instance()
    {
        Assert.Equal(Codec.Bytes("40 02   00 07"), Codec.Encode(new PubAckPacket(7, ReasonCode.Success, new MqttProperties()), MqttProtocolVersion.V500));
    }

    [Fact]
    public void String_over_65535_utf8_bytes_cannot_be_encoded()
    {
        var packet = new PublishPacket(new string('a', 65536), ReadOnlyMemory<byte>.Empty, MqttQoS.AtMostOnce, false, false, 0, MqttProperties.Empty);

        Assert.Throws<ArgumentException>(() => MqttEncoder.Write(packet, MqttProtocolVersion.V311, Output));
    }

    [Fact]
    public void Auth_cannot_be_encoded_for_mqtt_3()
    {
        Assert.Throws<ArgumentException>(() => MqttEncoder.Write(new AuthPacket(ReasonCode.Success, MqttProperties.Empty), MqttProtocolVersion.V311, Output));
    }

    [Fact]
    public void Subscription_identifier_0_cannot_be_encoded()
    {
        var packet = new SubscribePacket(1, [new TopicSubscription("a", MqttQoS.AtMostOnce, false, false, RetainHandling.SendAtSubscribe)], new MqttProperties { SubscriptionIdentifiers = [0] });

        Assert.Throws<ArgumentException>(() => MqttEncoder.Write(packet, MqttProtocolVersion.V500, Output));
    }

    [Fact]
    public void Properties_compare_by_content()
    {
        var left = new MqttProperties { CorrelationData = new byte[] { 1, 2 }, UserProperties = [new("a", "b")], SubscriptionIdentifiers = [3] };
        var right = new MqttProperties { CorrelationData = new byte[] { 1, 2 }, UserProperties = [new("a", "b")], SubscriptionIdentifiers = [3] };

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, right with { CorrelationData = new byte[] { 1, 3 } });
        Assert.Equal(MqttProperties.Empty, new MqttProperties());
    }
}
