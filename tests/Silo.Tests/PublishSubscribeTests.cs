using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

[Collection(DefaultSiloCollection.Name)]
public sealed class PublishSubscribeTests(DefaultSiloFixture silo)
{
    public static TheoryData<MqttProtocolVersion, MqttQoS, MqttQoS> VersionsAndQoSPairs
    {
        get
        {
            var data = new TheoryData<MqttProtocolVersion, MqttQoS, MqttQoS>();
            foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            {
                foreach (var publishQoS in Enum.GetValues<MqttQoS>())
                {
                    foreach (var subscriptionQoS in Enum.GetValues<MqttQoS>())
                    {
                        data.Add(version, publishQoS, subscriptionQoS);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoSPairs))]
    public async Task Message_is_delivered_end_to_end_at_the_lower_of_the_publish_and_subscription_qos(
        MqttProtocolVersion version, MqttQoS publishQoS, MqttQoS subscriptionQoS)
    {
        var topic = SiloFixture.UniqueTopic("qos");
        await using var subscriber = await silo.SubscribeAsync(version, topic, subscriptionQoS);
        Assert.Equal(subscriptionQoS, subscriber.GrantedQoS);

        await silo.PublishAsync(version, topic, "hello", publishQoS);

        var message = await subscriber.NextMessageAsync();
        Assert.Equal(topic, message.Topic);
        Assert.Equal("hello", message.Payload);
        Assert.Equal((MqttQoS)Math.Min((int)publishQoS, (int)subscriptionQoS), message.QoS);
        Assert.False(message.Retain);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "+")]
    [InlineData(MqttProtocolVersion.V311, "#")]
    [InlineData(MqttProtocolVersion.V500, "+")]
    [InlineData(MqttProtocolVersion.V500, "#")]
    public async Task Message_is_delivered_to_a_wildcard_subscriber(MqttProtocolVersion version, string wildcard)
    {
        var prefix = SiloFixture.UniqueTopic("wildcard");
        await using var subscriber = await silo.SubscribeAsync(version, $"{prefix}/{wildcard}", MqttQoS.AtLeastOnce);

        await silo.PublishAsync(version, $"{prefix}/sensor", "21.5", MqttQoS.AtLeastOnce);

        var message = await subscriber.NextMessageAsync();
        Assert.Equal($"{prefix}/sensor", message.Topic);
        Assert.Equal("21.5", message.Payload);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V500, MqttProtocolVersion.V311)]
    public async Task Clients_of_different_protocol_versions_exchange_messages(
        MqttProtocolVersion publisherVersion, MqttProtocolVersion subscriberVersion)
    {
        var topic = SiloFixture.UniqueTopic("mixed-versions");
        await using var subscriber = await silo.SubscribeAsync(subscriberVersion, topic, MqttQoS.ExactlyOnce);

        await silo.PublishAsync(publisherVersion, topic, "across versions", MqttQoS.ExactlyOnce);

        var message = await subscriber.NextMessageAsync();
        Assert.Equal("across versions", message.Payload);
        Assert.Equal(MqttQoS.ExactlyOnce, message.QoS);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Message_is_delivered_to_every_subscriber_of_the_topic(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("fan-out");
        await using var first = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);
        await using var second = await silo.SubscribeAsync(version, topic, MqttQoS.AtMostOnce);

        await silo.PublishAsync(version, topic, "to all", MqttQoS.AtLeastOnce);

        Assert.Equal("to all", (await first.NextMessageAsync()).Payload);
        Assert.Equal("to all", (await second.NextMessageAsync()).Payload);
    }
}
