using System.Globalization;
using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

[Collection(DefaultSiloCollection.Name)]
public sealed class OrderingTests(DefaultSiloFixture silo)
{
    private const int MessageCount = 200;

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Two_hundred_qos1_messages_from_one_publisher_arrive_in_order(MqttProtocolVersion version)
    {
        var topic = SiloFixture.UniqueTopic("ordering");
        var payloads = Enumerable.Range(0, MessageCount).Select(i => i.ToString("D3", CultureInfo.InvariantCulture)).ToList();
        await using var subscriber = await silo.SubscribeAsync(version, topic, MqttQoS.AtLeastOnce);

        await silo.PublishLinesAsync(version, topic, payloads, MqttQoS.AtLeastOnce);

        var messages = await subscriber.NextMessagesAsync(MessageCount);
        Assert.Equal(payloads, messages.Select(m => m.Payload));
        Assert.All(messages, m => Assert.Equal(MqttQoS.AtLeastOnce, m.QoS));
    }
}
