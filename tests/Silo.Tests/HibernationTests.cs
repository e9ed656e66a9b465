using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

/// <summary>
/// Hibernation seen from outside: grains leave memory after an idle second (the Silo's deactivation log line is the
/// signal) and what they held — subscriptions, retained messages, queued messages — is still there afterwards.
/// </summary>
[Collection(HibernatingSiloCollection.Name)]
public sealed class HibernationTests(HibernatingSiloFixture silo)
{
    // The grain type names of Grains.Interfaces.GrainTypes, as they appear in the Silo's log.
    private const string SessionGrain = "session";
    private const string TopicGrain = "topic";
    private const string RetainedGrain = "retained";

    /// <summary>
    /// One subject topic per QoS: libmosquitto hands a QoS 2 message to the application only at PUBREL, so QoS 1 and 2
    /// messages on one stream could reach mosquitto_sub's output out of order even when the broker sent them in order.
    /// </summary>
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Idle_subscriber_receives_several_publishes_in_order_at_their_qos_after_its_session_and_topic_grains_hibernated(MqttProtocolVersion version)
    {
        const int perTopic = 5;
        var topic = SiloFixture.UniqueTopic("hibernation");
        var filter = topic + "/+";
        var clientId = SiloFixture.UniqueClientId("hibernation");
        var sessionHibernated = silo.WaitForHibernationAsync(SessionGrain, clientId);
        var topicHibernated = silo.WaitForHibernationAsync(TopicGrain, filter);
        await using var subscriber = await silo.SubscribeAsync(version, filter, MqttQoS.ExactlyOnce, "-i", clientId);
        await Task.WhenAll(sessionHibernated, topicHibernated);

        var atLeastOnce = Enumerable.Range(0, perTopic).Select(i => $"qos1 {i}").ToList();
        var exactlyOnce = Enumerable.Range(0, perTopic).Select(i => $"qos2 {i}").ToList();
        await silo.PublishLinesAsync(version, topic + "/q1", atLeastOnce, MqttQoS.AtLeastOnce);
        await silo.PublishLinesAsync(version, topic + "/q2", exactlyOnce, MqttQoS.ExactlyOnce);

        var messages = await subscriber.NextMessagesAsync(perTopic * 2);
        var q1 = messages.Where(m => m.Topic == topic + "/q1").ToList();
        var q2 = messages.Where(m => m.Topic == topic + "/q2").ToList();
        Assert.Equal(atLeastOnce, q1.Select(m => m.Payload));
        Assert.All(q1, m => Assert.Equal(MqttQoS.AtLeastOnce, m.QoS));
        Assert.Equal(exactlyOnce, q2.Select(m => m.Payload));
        Assert.All(q2, m => Assert.Equal(MqttQoS.ExactlyOnce, m.QoS));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_message_is_delivered_to_a_late_subscriber_after_its_grain_hibernated(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("retained-hibernation");
        var retainedHibernated = silo.WaitForHibernationAsync(RetainedGrain, topic);
        await silo.PublishAsync(version, topic, "kept while asleep", MqttQoS.AtLeastOnce, "-r");
        await retainedHibernated;

        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);

        var message = await subscriber.NextMessageAsync();
        Assert.Equal(("kept while asleep", true), (message.Payload, message.Retain));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_queued_for_an_offline_session_survive_its_hibernation(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("queued-hibernation");
        var clientId = SiloFixture.UniqueClientId("queued-hibernation");
        await SubscribeAndLeaveAsync(version, topic, clientId);

        var sessionHibernated = silo.WaitForHibernationAsync(SessionGrain, clientId);
        await silo.PublishAsync(version, topic, "queued 1", MqttQoS.AtLeastOnce);
        await silo.PublishAsync(version, topic, "queued 2", MqttQoS.AtLeastOnce);
        await sessionHibernated;

        await using var back = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce, "-c", "-i", clientId);
        var messages = await back.NextMessagesAsync(2);
        Assert.Equal(["queued 1", "queued 2"], messages.Select(m => m.Payload));
    }

    /// <summary>
    /// The session hibernates at least one idle second after its last message arrived, so by then the first
    /// message's one-second expiry interval (counted from when the broker received it, earlier) has passed: the
    /// deactivation line orders the test without a sleep.
    /// </summary>
    [Fact]
    public async Task Queued_message_whose_expiry_interval_passed_is_not_delivered_but_a_later_one_is()
    {
        const MqttProtocolVersion version = MqttProtocolVersion.V500;
        var topic = SiloFixture.UniqueTopic("expiry");
        var clientId = SiloFixture.UniqueClientId("expiry");
        await SubscribeAndLeaveAsync(version, topic, clientId);

        var sessionHibernated = silo.WaitForHibernationAsync(SessionGrain, clientId);
        await silo.PublishAsync(version, topic, "expires", MqttQoS.AtLeastOnce, "-D", "PUBLISH", "message-expiry-interval", "1");
        await silo.PublishAsync(version, topic, "lasts", MqttQoS.AtLeastOnce);
        await sessionHibernated;

        await using var back = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce, "-c", "-i", clientId);
        Assert.Equal("lasts", (await back.NextMessageAsync()).Payload);
    }

    /// <summary>
    /// Creates a persistent session subscribed to <paramref name="topic"/>, disconnects it, and returns once the
    /// session grain has hibernated, so that the next message re-activates it from storage.
    /// </summary>
    private async Task SubscribeAndLeaveAsync(MqttProtocolVersion version, string topic, string clientId)
    {
        var sessionHibernated = silo.WaitForHibernationAsync(SessionGrain, clientId);
        await using (var leaving = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce, "-c", "-i", clientId, "-E"))
        {
            await leaving.WaitForSuccessfulExitAsync();
        }

        await sessionHibernated;
    }
}
