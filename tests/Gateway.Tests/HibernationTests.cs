using System.Text;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class HibernationTests(HibernationBrokerFixture broker) : IClassFixture<HibernationBrokerFixture>
{
    [Fact]
    public async Task Connected_subscriber_hibernates_keeps_its_socket_and_receives_in_order()
    {
        var statistics = broker.Services.GetRequiredService<IRuntimeStatistics>();
        var clientId = Unique("sleeper");
        var topic = Unique("wake");
        var sessionId = new GrainId(GrainTypes.Session, clientId);
        var deactivated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDeactivated(GrainId id, DeactivationReason reason)
        {
            if (id == sessionId && reason == DeactivationReason.IdleTimeout)
            {
                deactivated.TrySetResult();
            }
        }

        await using var subscriber = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, clientId, MqttProtocolVersion.V500);
        statistics.Deactivated += OnDeactivated;
        try
        {
            await subscriber.SubscribeAsync(topic + "/q1", MqttQoS.AtLeastOnce);
            await subscriber.SubscribeAsync(topic + "/q0", MqttQoS.AtMostOnce);

            await deactivated.Task.WaitAsync(MqttTestClient.DefaultTimeout);
        }
        finally
        {
            statistics.Deactivated -= OnDeactivated;
        }

        Assert.False(subscriber.Closed.IsCompleted);
        await subscriber.SendAsync(PingReqPacket.Instance);
        await subscriber.NextAsync<PingRespPacket>();
        Assert.Equal(0, statistics.LiveActivations(GrainTypes.Session));
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("waker"), MqttProtocolVersion.V500);
        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync(topic + "/q1", $"m{i}", MqttQoS.AtLeastOnce);
        }

        await publisher.PublishAsync(topic + "/q0", "last", MqttQoS.AtLeastOnce);

        for (var i = 0; i < 5; i++)
        {
            var received = await subscriber.NextAsync<PublishPacket>();
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(received.Payload.Span));
            Assert.Equal(MqttQoS.AtLeastOnce, received.QoS);
        }

        var last = await subscriber.NextAsync<PublishPacket>();
        Assert.Equal("last", Text(last));
        Assert.Equal(MqttQoS.AtMostOnce, last.QoS);
    }
}
