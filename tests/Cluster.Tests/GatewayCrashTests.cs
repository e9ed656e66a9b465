using System.Diagnostics;
using System.Text;
using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Protocol;
using Xunit.Abstractions;

namespace GrainMQ.Cluster.Tests;

// Black box: two silos and two gateway processes on loopback, real PostgreSQL; a gateway process is killed.
public sealed class GatewayCrashTests(ITestOutputHelper output)
{
    // Documented bound (docs/architecture.md, failure table): the silos see the killed process's connections close at
    // once (a reset on loopback), wait Cluster:GatewayReconnectGrace (default 10 s) for it to connect again, then tell
    // its sessions (Cluster:ConnectionLostConcurrency at a time), which re-activate from PostgreSQL and publish their
    // wills. The slack covers that re-activation for every client on a busy two-core machine.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WillBound = Grace + TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HibernationTimeout = TimeSpan.FromSeconds(60);
    private const int IdleClients = 200;

    [Fact]
    public async Task Killing_a_gateway_process_publishes_the_wills_of_its_idle_hibernated_clients_after_the_grace()
    {
        // Sessions hibernate after 1 s without traffic: the kill finds them deactivated, with nothing to send.
        var cluster = new ProcessCluster(["--Session:IdleTimeout", "00:00:01"]);
        var idle = new List<TestMqttClient>();
        try
        {
            await cluster.InitializeAsync();
            var prefix = ProcessCluster.Unique("wills");
            var (subscriber, _) = await TestMqttClient.ConnectAsync(cluster.GatewayB.MqttPort, ProcessCluster.Unique("watcher"), sessionExpiry: 600);
            await using var _s = subscriber;
            await subscriber.SubscribeAsync(prefix + "/#", MqttQoS.AtLeastOnce);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            var last = "";
            for (var i = 0; i < IdleClients; i++)
            {
                var id = ProcessCluster.Unique("idle");
                var will = new WillMessage($"{prefix}/{id}", Encoding.UTF8.GetBytes(id), MqttQoS.AtLeastOnce, false, new MqttProperties { WillDelayInterval = 0 });
                idle.Add((await TestMqttClient.ConnectAsync(cluster.GatewayA.MqttPort, id, sessionExpiry: 600, will: will)).Client);
                expected.Add(id);
                last = id;
            }

            // The last client connected hibernates last: once its session is deactivated, all of them are idle.
            await WaitForEitherSiloAsync(cluster, "Deactivated grain session/" + last);
            var killed = Stopwatch.StartNew();
            cluster.GatewayA.Kill();

            TimeSpan? first = null;
            var missing = new HashSet<string>(expected, StringComparer.Ordinal);
            while (missing.Count > 0)
            {
                PublishPacket will;
                try
                {
                    will = await subscriber.NextMessageAsync(WillBound - killed.Elapsed);
                }
                catch (Exception ex) when (ex is TimeoutException or ArgumentOutOfRangeException)
                {
                    Assert.Fail($"{missing.Count} of {IdleClients} wills did not arrive within {WillBound} of the kill");
                    throw;
                }

                first ??= killed.Elapsed;
                // QoS 1: a copy sent again by the durable delivery retry may arrive twice; each will must arrive.
                missing.Remove(Encoding.UTF8.GetString(will.Payload.Span));
            }

            var all = killed.Elapsed;
            output.WriteLine($"{IdleClients} wills: first {first!.Value.TotalSeconds:F1} s, last {all.TotalSeconds:F1} s after the kill");
            Assert.True(first >= Grace - TimeSpan.FromMilliseconds(500), $"the first will came {first} after the kill, before the grace of {Grace} had passed");
        }
        finally
        {
            foreach (var client in idle)
            {
                await client.DisposeAsync();
            }

            await cluster.DisposeAsync();
        }
    }

    private static async Task WaitForEitherSiloAsync(ProcessCluster cluster, string marker)
    {
        var found = await Task.WhenAny(
            cluster.SiloA.WaitForLogAsync(l => l.Contains(marker, StringComparison.Ordinal), HibernationTimeout),
            cluster.SiloB.WaitForLogAsync(l => l.Contains(marker, StringComparison.Ordinal), HibernationTimeout));
        await found;
    }
}
