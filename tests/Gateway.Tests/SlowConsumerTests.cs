using System.Globalization;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class SlowConsumerTests
{
    private const int MaxQueuedMessages = 8;
    private const int PayloadSize = 64 * 1024;

    /// <summary>Far more than the socket buffers and the queue can hold, so drops must happen well before.</summary>
    private const int MaxMessages = 1000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Qos0_messages_to_a_client_that_does_not_read_are_dropped_beyond_the_queue_limit(bool inlineWrites)
    {
        var app = await BrokerFixture.StartBrokerAsync(new Dictionary<string, string?>
        {
            ["Mqtt:MaxQueuedMessages"] = MaxQueuedMessages.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:InlineWrites"] = inlineWrites ? "true" : "false",
        });
        try
        {
            await FloodASlowConsumerAsync(app);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task FloodASlowConsumerAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        var counters = app.Services.GetRequiredService<GatewayCounters>();
        var endPoint = BrokerFixture.TcpEndPointOf(app);
        var topic = Unique("firehose");
        await using var slow = await MqttTestClient.OpenTcpAsync(endPoint, receiveBufferSize: 4096);
        await slow.ConnectAsync(Unique("slow"), MqttProtocolVersion.V500);
        await slow.SubscribeAsync(topic, MqttQoS.AtMostOnce);
        await slow.SubscribeAsync(topic + "/end", MqttQoS.AtLeastOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(endPoint, Unique("fast"), MqttProtocolVersion.V500);
        var payload = new string('p', PayloadSize);

        slow.PauseReading();
        var sent = 0;
        while (counters.QoS0Dropped == 0 && sent < MaxMessages)
        {
            await publisher.PublishAsync(topic, sent.ToString(CultureInfo.InvariantCulture) + payload, MqttQoS.AtLeastOnce);
            sent++;
        }

        // QoS 1 to the client: always queued, so it arrives after whatever QoS 0 messages survived.
        await publisher.PublishAsync(topic + "/end", "after the flood", MqttQoS.AtLeastOnce);
        slow.ResumeReading();

        Assert.True(counters.QoS0Dropped > 0, $"nothing dropped after {sent} messages");
        var previous = -1;
        while (true)
        {
            var publish = await slow.NextAsync<PublishPacket>();
            var text = Text(publish);
            if (publish.Topic == topic + "/end")
            {
                Assert.Equal("after the flood", text);
                break;
            }

            var index = int.Parse(text.AsSpan(0, text.Length - PayloadSize), CultureInfo.InvariantCulture);
            Assert.True(index > previous, "messages arrive in order");
            previous = index;
        }

        Assert.True(previous >= 0, "messages sent before the queue filled are delivered");
        Assert.False(slow.Closed.IsCompleted);
    }
}
