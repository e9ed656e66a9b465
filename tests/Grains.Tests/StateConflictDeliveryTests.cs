using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Sessions;
using GrainMQ.Grains.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests;

// Durable delivery when a subscriber session's state write loses to another activation's (InconsistentStateException):
// the losing activation must not acknowledge; the publisher's retry reaches the next activation, which stores first.
public sealed class StateConflictDeliveryTests
{
    private static readonly MqttProperties Expiry60 = new() { SessionExpiryInterval = 60 };

    [Fact]
    public async Task A_subscriber_whose_state_write_lost_does_not_acknowledge_and_the_puback_waits_until_its_next_activation_stored_the_message()
    {
        await using var broker = await TestBroker.StartAsync(
            ("Session:AcknowledgeAfterPersist", "true"),
            ("Session:DeliveryRetryInterval", "00:00:00.200"));
        var subscriber = broker.CreateClient("sub");
        await subscriber.ConnectAsync(cleanStart: false, properties: Expiry60);
        await subscriber.SubscribeAsync("t", MqttQoS.AtLeastOnce);
        await subscriber.LoseConnectionAsync();
        var publisher = broker.CreateClient("pub");
        await publisher.ConnectAsync();
        var id = new GrainId(GrainTypes.Session, "sub");
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDeactivated(GrainId grain, DeactivationReason reason)
        {
            if (grain == id && reason == DeactivationReason.StateConflict)
            {
                lost.TrySetResult();
            }
        }

        broker.Statistics.Deactivated += OnDeactivated;
        try
        {
            // Another activation of the session (on another silo, say) writes it: the live activation's next write loses.
            var stored = (await broker.Storage.ReadAsync(id, default))!.Value;
            await broker.Storage.WriteAsync(id, stored.State, stored.Version, default);

            var packetId = await publisher.PublishAsync("t", "m1", MqttQoS.AtLeastOnce);
            Assert.Equal(packetId, (await publisher.Connection.ExpectAsync<PubAckPacket>()).PacketId);

            await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var queue = new CompactJsonStateCodec<SessionState>().Decode((await broker.Storage.ReadAsync(id, default))!.Value.State.Span).Queue;
            Assert.Equal(["m1"], queue.Select(d => Encoding.UTF8.GetString(d.Message.Payload.Span)));
        }
        finally
        {
            broker.Statistics.Deactivated -= OnDeactivated;
        }
    }
}
