using System.Text;
using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Protocol;

namespace GrainMQ.Cluster.Tests;

// Black box: two silos and two gateway processes, real PostgreSQL: stored session-expiry reminders across a silo crash
// and across a reconnect.
public sealed class ReminderFailoverTests
{
    // Long enough that the victim cannot fire the reminder itself before it is killed, and that a client is back before
    // its session expires (both happen as soon as the test reads a "detached" line, which can take seconds on a loaded
    // machine), short enough to keep the tests quick.
    private const uint SessionExpirySeconds = 20;

    // The survivor learns of the death (documented ~4 s; 20 s allowed between processes on a loaded machine), the
    // expiry falls due, then its next poll (0.5 s here) fires the reminder.
    private static readonly TimeSpan EndBound = TimeSpan.FromSeconds(60);

    private static readonly string[] SiloArguments =
    [
        "--Cluster:ReminderPollInterval", "00:00:00.500",
        "--Logging:LogLevel:GrainMQ.Grains.Sessions", "Debug",
    ];

    [Fact]
    public async Task The_expiry_reminder_of_a_session_whose_silo_was_killed_is_fired_by_the_new_owner_and_ends_the_session()
    {
        var cluster = new ProcessCluster(SiloArguments);
        try
        {
            await cluster.InitializeAsync();
            var clientId = ProcessCluster.Unique("leaver");
            var topic = ProcessCluster.Unique("expiring");
            var (client, _) = await TestMqttClient.ConnectAsync(cluster.SiloA.MqttPort, clientId, cleanStart: true, sessionExpiry: SessionExpirySeconds);
            await client.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
            var victim = await cluster.OwnerOfAsync("session/" + clientId);
            var survivor = victim == cluster.SiloA ? cluster.SiloB : cluster.SiloA;

            await client.DisconnectAsync();
            await client.DisposeAsync();
            // Logged after the reminder and then the session's state were written.
            await victim.WaitForLogAsync(l => l.Contains($"Session {clientId} detached", StringComparison.Ordinal), TestMqttClient.DefaultTimeout);
            Assert.Equal(1L, await ReminderRowsAsync(cluster.DeploymentId, clientId));
            // From now on nothing addresses the session: only its stored reminder can wake it on the survivor.
            victim.Kill();

            var ended = $"Session {clientId} ended";
            try
            {
                await survivor.WaitForLogAsync(l => l.Contains(ended, StringComparison.Ordinal), EndBound);
            }
            catch (TimeoutException) when (victim.HasLogged(l => l.Contains(ended, StringComparison.Ordinal)))
            {
                Assert.Fail("The victim ended the session itself: it was killed too late for this test.");
            }

            Assert.False(victim.HasLogged(l => l.Contains(ended, StringComparison.Ordinal)), "the victim ended the session before it was killed");

            var (back, connAck) = await TestMqttClient.ConnectAsync(survivor.MqttPort, clientId, cleanStart: false, sessionExpiry: 60);
            await using var _b = back;
            Assert.False(connAck.SessionPresent);
            Assert.Equal(0L, await ReminderRowsAsync(cluster.DeploymentId, clientId));

            // The ended session's subscription is gone: a message to its topic is not delivered to the new session,
            // while a later one (same publisher, so in order) to a topic it subscribed to now is.
            var marker = ProcessCluster.Unique("marker");
            await back.SubscribeAsync(marker, MqttQoS.AtLeastOnce);
            var (publisher, _) = await TestMqttClient.ConnectAsync(survivor.MqttPort, ProcessCluster.Unique("pub"));
            await using var _p = publisher;
            await publisher.PublishAsync(topic, "to the ended session", MqttQoS.AtLeastOnce);
            await publisher.PublishAsync(marker, "after", MqttQoS.AtLeastOnce);
            Assert.Equal("after", Encoding.UTF8.GetString((await back.NextMessageAsync()).Payload.Span));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_stored_reminder_of_a_client_that_reconnected_is_deleted_when_it_falls_due_and_the_session_lives_on()
    {
        var cluster = new ProcessCluster(SiloArguments);
        try
        {
            await cluster.InitializeAsync();
            var clientId = ProcessCluster.Unique("returner");
            var topic = ProcessCluster.Unique("kept");
            var (client, _) = await TestMqttClient.ConnectAsync(cluster.SiloA.MqttPort, clientId, cleanStart: true, sessionExpiry: SessionExpirySeconds);
            await client.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
            var owner = await cluster.OwnerOfAsync("session/" + clientId);
            await client.DisconnectAsync();
            await client.DisposeAsync();
            await owner.WaitForLogAsync(l => l.Contains($"Session {clientId} detached", StringComparison.Ordinal), TestMqttClient.DefaultTimeout);
            Assert.Equal(1L, await ReminderRowsAsync(cluster.DeploymentId, clientId));

            // Reconnecting does not delete the row (the connect path writes nothing for reminders) ...
            var (back, connAck) = await TestMqttClient.ConnectAsync(owner.MqttPort, clientId, cleanStart: false, sessionExpiry: SessionExpirySeconds);
            await using var _b = back;
            Assert.True(connAck.SessionPresent);

            // ... the reminder does when it falls due and finds the session connected; the session lives on.
            await owner.WaitForLogAsync(l => l.Contains($"Deleted the stored expiry reminder of session {clientId}", StringComparison.Ordinal), EndBound);
            Assert.Equal(0L, await ReminderRowsAsync(cluster.DeploymentId, clientId));
            Assert.False(owner.HasLogged(l => l.Contains($"Session {clientId} ended", StringComparison.Ordinal)));
            var (publisher, _) = await TestMqttClient.ConnectAsync(owner.MqttPort, ProcessCluster.Unique("pub"));
            await using var _p = publisher;
            await publisher.PublishAsync(topic, "still subscribed", MqttQoS.AtLeastOnce);
            Assert.Equal("still subscribed", Encoding.UTF8.GetString((await back.NextMessageAsync()).Payload.Span));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<long> ReminderRowsAsync(string deploymentId, string clientId)
    {
        await using var command = TestDatabase.DataSource.CreateCommand(
            "SELECT count(*) FROM grainmq_reminders WHERE deployment_id = $1 AND grain_type = 'session' AND grain_key = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = deploymentId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = clientId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
