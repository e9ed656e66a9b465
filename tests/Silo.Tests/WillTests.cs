using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

[Collection(DefaultSiloCollection.Name)]
public sealed class WillTests(DefaultSiloFixture silo)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Will_is_published_when_a_client_is_killed(MqttProtocolVersion version)
    {
        var willTopic = SiloFixture.UniqueTopic("will");
        await using var watcher = await silo.SubscribeAsync(version, willTopic, MqttQoS.AtLeastOnce);
        await using var doomed = await SubscribeWithWillAsync(version, willTopic);

        await doomed.KillAsync();

        var will = await watcher.NextMessageAsync();
        Assert.Equal(willTopic, will.Topic);
        Assert.Equal("gone", will.Payload);
        Assert.Equal(MqttQoS.AtLeastOnce, will.QoS);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Will_is_not_published_when_a_client_disconnects_normally(MqttProtocolVersion version)
    {
        var willTopic = SiloFixture.UniqueTopic("no-will");
        await using var watcher = await silo.SubscribeAsync(version, willTopic, MqttQoS.AtLeastOnce);
        await using var polite = await SubscribeWithWillAsync(version, willTopic, "-E");
        await polite.WaitForSuccessfulExitAsync();

        await silo.PublishAsync(version, willTopic, "marker", MqttQoS.AtLeastOnce);

        Assert.Equal("marker", (await watcher.NextMessageAsync()).Payload);
    }

    private Task<MosquittoSubscriber> SubscribeWithWillAsync(MqttProtocolVersion version, string willTopic, params string[] extraArguments) =>
        silo.SubscribeAsync(
            version,
            SiloFixture.UniqueTopic("will-client"),
            MqttQoS.AtMostOnce,
            ["--will-topic", willTopic, "--will-payload", "gone", "--will-qos", "1", .. extraArguments]);
}
