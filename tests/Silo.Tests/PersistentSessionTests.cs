using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

[Collection(DefaultSiloCollection.Name)]
public sealed class PersistentSessionTests(DefaultSiloFixture silo)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Persistent_session_receives_qos1_messages_published_while_it_was_away(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("persistent");
        var clientId = SiloFixture.UniqueClientId("persistent");
        await SubscribeAndLeaveAsync(version, topic, clientId, persistent: true);

        for (var i = 1; i <= 3; i++)
        {
            await silo.PublishAsync(version, topic, $"while away {i}", MqttQoS.AtLeastOnce);
        }

        await using var back = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce, "-c", "-i", clientId);
        var messages = await back.NextMessagesAsync(3);
        Assert.Equal(["while away 1", "while away 2", "while away 3"], messages.Select(m => m.Payload));
        Assert.All(messages, m => Assert.Equal(MqttQoS.AtLeastOnce, m.QoS));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Clean_session_does_not_receive_messages_published_while_it_was_away(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("clean");
        var clientId = SiloFixture.UniqueClientId("clean");
        await SubscribeAndLeaveAsync(version, topic, clientId, persistent: false);
        await silo.PublishAsync(version, topic, "while away", MqttQoS.AtLeastOnce);

        await using var back = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce, "-i", clientId);
        await silo.PublishAsync(version, topic, "marker", MqttQoS.AtLeastOnce);

        Assert.Equal("marker", (await back.NextMessageAsync()).Payload);
    }

    private async Task SubscribeAndLeaveAsync(MqttProtocolVersion version, string topic, string clientId, bool persistent)
    {
        string[] arguments = persistent ? ["-c", "-i", clientId, "-E"] : ["-i", clientId, "-E"];
        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce, arguments);
        await subscriber.WaitForSuccessfulExitAsync();
    }
}
