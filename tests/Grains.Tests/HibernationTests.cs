using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class HibernationTests
{
    [Fact]
    public async Task Connected_session_is_deactivated_while_idle_and_a_publish_reactivates_it_with_ordered_deliveries()
    {
        await using var broker = await TestBroker.StartAsync(("Session:IdleTimeout", "00:00:00.3"));
        var subscriber = broker.CreateClient("sleeper");
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("wake/+", MqttQoS.ExactlyOnce);
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var hibernated = broker.WhenDeactivated(GrainTypes.Session, "sleeper");

        await hibernated;
        await publisher.PublishAsync("wake/a", "one", MqttQoS.AtLeastOnce);
        await publisher.PublishAsync("wake/b", "two", MqttQoS.ExactlyOnce);
        await publisher.PublishAsync("wake/c", "three");

        var one = await subscriber.ExpectPublishAsync();
        var two = await subscriber.ExpectPublishAsync();
        var three = await subscriber.ExpectPublishAsync();
        Assert.Equal(["one", "two", "three"], new[] { one.Text(), two.Text(), three.Text() });
        Assert.Equal([MqttQoS.AtLeastOnce, MqttQoS.ExactlyOnce, MqttQoS.AtMostOnce], new[] { one.QoS, two.QoS, three.QoS });
        Assert.Equal(2, broker.Counters.ClientsConnected);

        // The exchanges started after re-activation complete as usual.
        await subscriber.SendAsync(new PubAckPacket(one.PacketId, ReasonCode.Success, MqttProperties.Empty));
        await subscriber.SendAsync(new PubRecPacket(two.PacketId, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal(two.PacketId, (await subscriber.Connection.ExpectAsync<PubRelPacket>()).PacketId);
    }
}
