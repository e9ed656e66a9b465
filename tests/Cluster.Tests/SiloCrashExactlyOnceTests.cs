using System.Globalization;
using System.Text;
using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime.Membership;

namespace GrainMQ.Cluster.Tests;

public sealed class SiloCrashExactlyOnceTests
{
    private static readonly TimeSpan DeathDeclarationBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StreamDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(60);
    private const int Window = 32;

    [Fact]
    public async Task Killing_the_silo_of_an_offline_qos2_subscriber_loses_no_completed_message_and_delivers_none_twice()
    {
        var cluster = new ProcessCluster(["--Session:MaxQueuedMessages", "100000"]);
        try
        {
            await cluster.InitializeAsync();
            await StreamKillAndCheckAsync(cluster);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task StreamKillAndCheckAsync(ProcessCluster cluster)
    {
        var topic = ProcessCluster.Unique("exactly-once");
        var subscriberId = ProcessCluster.Unique("offline");
        var (subscriber, _) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, subscriberId, cleanStart: true, sessionExpiry: 600);
        await subscriber.SubscribeAsync(topic, MqttQoS.ExactlyOnce);
        await subscriber.DisconnectAsync();
        await subscriber.DisposeAsync();
        var victim = await cluster.OwnerOfAsync("session/" + subscriberId);

        var completed = new AcknowledgedNumbers();
        using var stop = new CancellationTokenSource();
        var streaming = NumberedStream.RunAsync(cluster.GatewayA.MqttPort, topic, MqttQoS.ExactlyOnce, sessionExpiry: 300, Window, completed, stop.Token);
        await completed.WaitForCountAsync(100, CompletionTimeout);
        victim.Kill();
        var snapshot = await new MembershipProbe(cluster.DeploymentId).ReadAsync();
        var victimAddress = snapshot.Entries.First(e => e.SiloName.StartsWith(victim.Kind + ".", StringComparison.Ordinal)).Address;
        await new MembershipProbe(cluster.DeploymentId).WaitForStatusAsync(victimAddress, SiloStatus.Dead, DeathDeclarationBound);
        await completed.WaitForCountAsync(completed.Count + 100, CompletionTimeout);
        stop.CancelAfter(StreamDuration);
        await streaming;
        var expected = completed.ToArray();

        // The last message: every flow before it has ended, so no copy is still being sent again after it.
        var (closer, _) = await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, ProcessCluster.Unique("closer"));
        await using (closer)
        {
            await closer.PublishAsync(topic, "end", MqttQoS.ExactlyOnce);
        }

        var (back, connAck) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, subscriberId, cleanStart: false, sessionExpiry: 600);
        await using var _b = back;
        Assert.True(connAck.SessionPresent);
        var received = new Dictionary<int, int>();
        while (true)
        {
            var payload = Encoding.UTF8.GetString((await back.NextMessageAsync(TimeSpan.FromSeconds(30))).Payload.Span);
            if (payload == "end")
            {
                break;
            }

            var number = int.Parse(payload, CultureInfo.InvariantCulture);
            received[number] = received.GetValueOrDefault(number) + 1;
        }

        var lost = expected.Where(n => !received.ContainsKey(n)).ToList();
        var duplicated = received.Where(r => r.Value > 1).Select(r => r.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {expected.Length} completed messages never arrived (e.g. {string.Join(", ", lost.Take(10))})");
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} messages arrived more than once (e.g. {string.Join(", ", duplicated.Take(10))})");
    }

}
