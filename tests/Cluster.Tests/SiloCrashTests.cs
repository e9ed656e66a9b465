using System.Diagnostics;
using System.Globalization;
using System.Text;
using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Protocol;
using GrainMQ.Runtime.Membership;

namespace GrainMQ.Cluster.Tests;

public sealed class SiloCrashTests
{
    // Documented: a crashed silo is declared dead within MissedProbesLimit x ProbeInterval plus a table write (~4 s);
    // the slack covers two JIT-warm processes on a busy two-core machine.
    private static readonly TimeSpan DeathDeclarationBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StreamDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AcknowledgementTimeout = TimeSpan.FromSeconds(60);
    private const int Window = 32;

    [Fact]
    public async Task Killing_the_silo_that_owns_an_offline_session_loses_no_acknowledged_message()
    {
        await using var cluster = new ProcessClusterLifetime();
        await cluster.Cluster.InitializeAsync();
        var topic = ProcessCluster.Unique("stream");
        var subscriberId = ProcessCluster.Unique("offline");
        var (subscriber, _) = await TestMqttClient.ConnectAsync(cluster.Cluster.GatewayB.MqttPort, subscriberId, cleanStart: true, sessionExpiry: 600);
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await subscriber.DisconnectAsync();
        await subscriber.DisposeAsync();
        var victim = await cluster.Cluster.OwnerOfAsync("session/" + subscriberId);

        var acknowledged = new AcknowledgedNumbers();
        using var stop = new CancellationTokenSource();
        var streaming = NumberedStream.RunAsync(cluster.Cluster.GatewayA.MqttPort, topic, MqttQoS.AtLeastOnce, sessionExpiry: 0, Window, acknowledged, stop.Token);
        await acknowledged.WaitForCountAsync(100, AcknowledgementTimeout);
        var killedAt = Stopwatch.StartNew();
        victim.Kill();
        var declared = await new MembershipProbe(cluster.Cluster.DeploymentId).WaitForStatusAsync(
            await AddressOfAsync(cluster.Cluster.DeploymentId, victim), SiloStatus.Dead, DeathDeclarationBound);
        await acknowledged.WaitForCountAsync(acknowledged.Count + 100, AcknowledgementTimeout);
        stop.CancelAfter(StreamDuration);
        await streaming;

        Assert.True(declared < DeathDeclarationBound, $"declared dead after {declared} (killed {killedAt.Elapsed} ago)");
        var expected = acknowledged.ToArray();

        var (back, connAck) = await TestMqttClient.ConnectAsync(cluster.Cluster.GatewayB.MqttPort, subscriberId, cleanStart: false, sessionExpiry: 600);
        await using var _b = back;
        Assert.True(connAck.SessionPresent);
        var received = new HashSet<int>();
        var missing = new HashSet<int>(expected);
        while (missing.Count > 0)
        {
            PublishPacket message;
            try
            {
                message = await back.NextMessageAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{missing.Count} of {expected.Length} acknowledged messages never arrived (e.g. {string.Join(", ", missing.Take(10))}); received {received.Count}");
                throw;
            }

            var number = int.Parse(Encoding.UTF8.GetString(message.Payload.Span), CultureInfo.InvariantCulture);
            received.Add(number);
            missing.Remove(number);
        }

        Assert.Empty(missing);
    }

    private static async Task<SiloAddress> AddressOfAsync(string deploymentId, ClusterProcess silo)
    {
        var snapshot = await new MembershipProbe(deploymentId).ReadAsync();
        return snapshot.Entries.First(e => e.SiloName.StartsWith(silo.Kind + ".", StringComparison.Ordinal)).Address;
    }

    private sealed class ProcessClusterLifetime : IAsyncDisposable
    {
        // The offline session must be able to queue the whole stream (the default bound drops the oldest beyond 1000).
        public ProcessCluster Cluster { get; } = new(["--Session:MaxQueuedMessages", "100000"]);

        public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
    }
}
