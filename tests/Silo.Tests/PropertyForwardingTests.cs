using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

[Collection(DefaultSiloCollection.Name)]
public sealed class PropertyForwardingTests(DefaultSiloFixture silo)
{
    private static readonly string[] PublishProperties =
    [
        "-D", "PUBLISH", "user-property", "unit", "celsius",
        "-D", "PUBLISH", "user-property", "tag", "first",
        "-D", "PUBLISH", "user-property", "tag", "second",
        "-D", "PUBLISH", "content-type", "text/plain",
        "-D", "PUBLISH", "response-topic", "replies/for-me",
        "-D", "PUBLISH", "correlation-data", "request-42",
    ];

    [Fact]
    public async Task User_properties_content_type_response_topic_and_correlation_data_reach_a_subscriber_unchanged()
    {
        var topic = SiloFixture.UniqueTopic("properties");
        await using var subscriber = await silo.SubscribeAsync(MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce);

        await silo.PublishAsync(MqttProtocolVersion.V500, topic, "21.5", MqttQoS.AtLeastOnce, PublishProperties);

        AssertPropertiesForwarded(await subscriber.NextMessageAsync());
    }

    [Fact]
    public async Task Properties_of_a_message_queued_for_an_offline_session_are_delivered_unchanged()
    {
        var topic = SiloFixture.UniqueTopic("queued-properties");
        var clientId = SiloFixture.UniqueClientId("queued-properties");
        await using (var leaving = await silo.SubscribeAsync(MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce, "-c", "-i", clientId, "-E"))
        {
            await leaving.WaitForSuccessfulExitAsync();
        }

        await silo.PublishAsync(MqttProtocolVersion.V500, topic, "21.5", MqttQoS.AtLeastOnce, PublishProperties);

        await using var back = await silo.SubscribeAsync(MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce, "-c", "-i", clientId);
        AssertPropertiesForwarded(await back.NextMessageAsync());
    }

    [Fact]
    public async Task Message_expiry_interval_is_forwarded_to_a_subscriber()
    {
        var topic = SiloFixture.UniqueTopic("expiry-forwarded");
        await using var subscriber = await silo.SubscribeAsync(MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce);

        await silo.PublishAsync(
            MqttProtocolVersion.V500, topic, "fresh", MqttQoS.AtLeastOnce, "-D", "PUBLISH", "message-expiry-interval", "3600");

        var message = await subscriber.NextMessageAsync();
        Assert.NotNull(message.MessageExpiryInterval);
        // The broker sends what is left of the interval: at most what was sent, and not much less on a healthy machine.
        Assert.InRange(message.MessageExpiryInterval.Value, 3600u - (uint)Mosquitto.SignalTimeout.TotalSeconds, 3600u);
    }

    [Fact]
    public async Task Message_without_properties_reaches_a_subscriber_without_any()
    {
        var topic = SiloFixture.UniqueTopic("no-properties");
        await using var subscriber = await silo.SubscribeAsync(MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce);

        await silo.PublishAsync(MqttProtocolVersion.V500, topic, "plain", MqttQoS.AtLeastOnce);

        var message = await subscriber.NextMessageAsync();
        Assert.Equal("plain", message.Payload);
        Assert.Null(message.ContentType);
        Assert.Null(message.ResponseTopic);
        Assert.Null(message.CorrelationData);
        Assert.Null(message.MessageExpiryInterval);
        Assert.Empty(message.UserProperties);
    }

    private static void AssertPropertiesForwarded(ReceivedMessage message)
    {
        Assert.Equal("21.5", message.Payload);
        Assert.Equal(
            [new("unit", "celsius"), new("tag", "first"), new("tag", "second")],
            message.UserProperties);
        Assert.Equal("text/plain", message.ContentType);
        Assert.Equal("replies/for-me", message.ResponseTopic);
        Assert.Equal("request-42", message.CorrelationData);
    }
}
