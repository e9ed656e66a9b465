using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

/// <summary>$SYS topics belong to the broker: a client's PUBLISH there is refused and goes nowhere.</summary>
public sealed class BrokerTopicTests
{
    [Fact]
    public async Task Mqtt5_publish_to_a_sys_topic_is_not_authorized_and_neither_delivered_nor_retained()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = broker.CreateClient("watcher");
        await watcher.ConnectAsync();
        await watcher.SubscribeAsync("$SYS/#", MqttQoS.AtLeastOnce);
        var spoofer = broker.CreateClient("spoofer");
        await spoofer.ConnectAsync();

        var one = await spoofer.PublishAsync("$SYS/broker/clients/connected", "0", MqttQoS.AtLeastOnce, retain: true);
        var two = await spoofer.PublishAsync("$SYS/broker/uptime", "0", MqttQoS.ExactlyOnce);
        await spoofer.PublishAsync("$SYS/broker/version", "0");

        Assert.Equal(new PubAckPacket(one, ReasonCode.NotAuthorized, MqttProperties.Empty), await spoofer.Connection.ExpectAsync<PubAckPacket>());
        Assert.Equal(new PubRecPacket(two, ReasonCode.NotAuthorized, MqttProperties.Empty), await spoofer.Connection.ExpectAsync<PubRecPacket>());
        await spoofer.ExpectNothingMoreAsync();
        await watcher.ExpectNothingMoreAsync();
        Assert.Equal(3, broker.Counters.Dropped(DropReason.NotAuthorized));
        var late = broker.CreateClient("late");
        await late.ConnectAsync();
        await late.SubscribeAsync("$SYS/#");
        await late.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Mqtt311_publish_to_a_sys_topic_completes_its_qos_flow_but_goes_nowhere()
    {
        await using var broker = await TestBroker.StartAsync();
        var watcher = broker.CreateClient("watcher");
        await watcher.ConnectAsync();
        await watcher.SubscribeAsync("$SYS/#", MqttQoS.AtLeastOnce);
        var spoofer = broker.CreateClient("spoofer");
        await spoofer.ConnectAsync(version: MqttProtocolVersion.V311);

        var one = await spoofer.PublishAsync("$SYS/broker/uptime", "0", MqttQoS.AtLeastOnce);
        var two = await spoofer.PublishAsync("$SYS/broker/uptime", "0", MqttQoS.ExactlyOnce);

        Assert.Equal(ReasonCode.Success, (await spoofer.Connection.ExpectAsync<PubAckPacket>()).ReasonCode);
        Assert.Equal(new PubRecPacket(two, ReasonCode.Success, MqttProperties.Empty), await spoofer.Connection.ExpectAsync<PubRecPacket>());
        await spoofer.SendAsync(new PubRelPacket(two, ReasonCode.Success, MqttProperties.Empty));
        Assert.Equal(new PubCompPacket(two, ReasonCode.Success, MqttProperties.Empty), await spoofer.Connection.ExpectAsync<PubCompPacket>());
        Assert.NotEqual(one, two);
        await watcher.ExpectNothingMoreAsync();
        Assert.Equal(2, broker.Counters.Dropped(DropReason.NotAuthorized));
    }

    [Fact]
    public async Task With_acknowledgement_after_persist_a_refused_sys_publish_is_acknowledged_in_order()
    {
        await using var broker = await TestBroker.StartAsync(("Session:AcknowledgeAfterPersist", "true"));
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: new MqttProperties { SessionExpiryInterval = 60 });
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();

        var first = await publisher.PublishAsync("t", "m", MqttQoS.AtLeastOnce);
        var second = await publisher.PublishAsync("$SYS/broker/uptime", "0", MqttQoS.AtLeastOnce);

        Assert.Equal(new PubAckPacket(first, ReasonCode.Success, MqttProperties.Empty), await publisher.Connection.ExpectAsync<PubAckPacket>());
        Assert.Equal(new PubAckPacket(second, ReasonCode.NotAuthorized, MqttProperties.Empty), await publisher.Connection.ExpectAsync<PubAckPacket>());
    }
}
