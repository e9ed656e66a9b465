using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

[Collection(DefaultSiloCollection.Name)]
public sealed class RetainedMessageTests(DefaultSiloFixture silo)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_message_is_delivered_to_a_late_subscriber(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("retained");
        await silo.PublishAsync(version, topic, "kept", MqttQoS.AtLeastOnce, "-r");

        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);

        var message = await subscriber.NextMessageAsync();
        Assert.Equal(topic, message.Topic);
        Assert.Equal("kept", message.Payload);
        Assert.True(message.Retain);
        Assert.Equal(MqttQoS.AtLeastOnce, message.QoS);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_message_is_delivered_to_a_late_wildcard_subscriber(MqttProtocolVersion version)
    {
        var prefix = SiloFixture.UniqueTopic("retained-wildcard");
        await silo.PublishAsync(version, $"{prefix}/a", "first", MqttQoS.AtLeastOnce, "-r");
        await silo.PublishAsync(version, $"{prefix}/b/c", "second", MqttQoS.AtLeastOnce, "-r");

        await using var subscriber = await silo.SubscribeAsync(version, $"{prefix}/#", MqttQoS.AtLeastOnce);

        var messages = await subscriber.NextMessagesAsync(2);
        Assert.Equal(
            [$"{prefix}/a first", $"{prefix}/b/c second"],
            messages.Select(m => $"{m.Topic} {m.Payload}").Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.True(m.Retain));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_message_is_replaced_by_the_next_retained_publish(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("retained-replaced");
        await silo.PublishAsync(version, topic, "old", MqttQoS.AtLeastOnce, "-r");
        await silo.PublishAsync(version, topic, "new", MqttQoS.AtLeastOnce, "-r");

        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);
        var retained = await subscriber.NextMessageAsync();
        await silo.PublishAsync(version, topic, "marker", MqttQoS.AtLeastOnce);
        var next = await subscriber.NextMessageAsync();

        Assert.Equal(("new", true), (retained.Payload, retained.Retain));
        Assert.Equal(("marker", false), (next.Payload, next.Retain));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Empty_retained_publish_clears_the_retained_message(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("retained-cleared");
        await silo.PublishAsync(version, topic, "kept", MqttQoS.AtLeastOnce, "-r");
        await silo.PublishAsync(version, topic, payload: null, MqttQoS.AtLeastOnce, "-r");

        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);
        await silo.PublishAsync(version, topic, "marker", MqttQoS.AtLeastOnce);

        var first = await subscriber.NextMessageAsync();
        Assert.Equal(("marker", false), (first.Payload, first.Retain));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_publish_reaches_a_current_subscriber_without_the_retain_flag(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("retained-live");
        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);

        await silo.PublishAsync(version, topic, "live", MqttQoS.AtLeastOnce, "-r");

        var message = await subscriber.NextMessageAsync();
        Assert.Equal(("live", false), (message.Payload, message.Retain));
    }
}
