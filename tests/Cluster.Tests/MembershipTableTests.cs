using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Postgres;
using Npgsql;

namespace GrainMQ.Cluster.Tests;

public sealed class MembershipTableTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact]
    public async Task A_joining_silo_is_inserted_and_the_version_moves_on()
    {
        var table = await NewTableAsync("join");
        var empty = await table.ReadAllAsync(default);

        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Joining), empty.Version, default));

        var after = await table.ReadAllAsync(default);
        Assert.Equal(empty.Version + 1, after.Version);
        var row = Assert.Single(after.Entries);
        Assert.Equal(Entry(1, SiloStatus.Joining) with { SuspectVotes = row.SuspectVotes }, row);
    }

    [Fact]
    public async Task Of_two_writers_racing_on_one_version_exactly_one_wins()
    {
        var table = await NewTableAsync("race");
        var start = await table.ReadAllAsync(default);
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Joining), start.Version, default));
        var version = (await table.ReadAllAsync(default)).Version;

        var inserts = await Task.WhenAll(Enumerable.Range(2, 6).Select(i => table.InsertAsync(Entry(i, SiloStatus.Joining), version, default)));
        Assert.Equal(1, inserts.Count(won => won));

        var afterInserts = await table.ReadAllAsync(default);
        var updates = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            table.UpdateAsync(Entry(1, SiloStatus.Active), afterInserts.Version, default)));
        Assert.Equal(1, updates.Count(won => won));
        Assert.Equal(afterInserts.Version + 1, (await table.ReadAllAsync(default)).Version);
    }

    [Fact]
    public async Task A_write_based_on_an_old_version_is_refused()
    {
        var table = await NewTableAsync("stale");
        var start = await table.ReadAllAsync(default);
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Joining), start.Version, default));

        Assert.False(await table.UpdateAsync(Entry(1, SiloStatus.Active), start.Version, default));
        Assert.Equal(SiloStatus.Joining, Assert.Single((await table.ReadAllAsync(default)).Entries).Status);
    }

    [Fact]
    public async Task A_dead_silo_cannot_come_back_under_its_old_generation()
    {
        var table = await NewTableAsync("revive");
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync(default)).Version, default));
        Assert.True(await table.UpdateAsync(Entry(1, SiloStatus.Dead), (await table.ReadAllAsync(default)).Version, default));

        var current = await table.ReadAllAsync(default);
        Assert.False(await table.UpdateAsync(Entry(1, SiloStatus.Active), current.Version, default));
        Assert.False(await table.InsertAsync(Entry(1, SiloStatus.Joining), current.Version, default));
        await table.UpdateIAmAliveAsync(Entry(1, SiloStatus.Active).Address, Now.AddMinutes(1), default);

        var row = Assert.Single((await table.ReadAllAsync(default)).Entries);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Equal(Now, row.IAmAliveTime);
    }

    [Fact]
    public async Task I_am_alive_is_written_without_changing_the_version()
    {
        var table = await NewTableAsync("alive");
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync(default)).Version, default));
        var before = await table.ReadAllAsync(default);

        await table.UpdateIAmAliveAsync(Entry(1, SiloStatus.Active).Address, Now.AddSeconds(5), default);

        var after = await table.ReadAllAsync(default);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(Now.AddSeconds(5), Assert.Single(after.Entries).IAmAliveTime);
    }

    [Fact]
    public async Task Suspect_votes_are_stored_with_their_voter_and_time()
    {
        var table = await NewTableAsync("votes");
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync(default)).Version, default));
        SuspectVote[] votes = [new(Entry(2, SiloStatus.Active).Address, Now), new(Entry(3, SiloStatus.Active).Address, Now.AddSeconds(1))];

        Assert.True(await table.UpdateAsync(Entry(1, SiloStatus.Active) with { SuspectVotes = votes }, (await table.ReadAllAsync(default)).Version, default));

        Assert.Equal(votes, Assert.Single((await table.ReadAllAsync(default)).Entries).SuspectVotes);
    }

    [Fact]
    public async Task The_schema_is_applied_idempotently_by_processes_starting_together()
    {
        var deployment = TestDatabase.NewDeploymentId("schema");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => new PostgresMembershipTable(TestDatabase.DataSource, deployment).InitializeAsync(default)));

        var snapshot = await new PostgresMembershipTable(TestDatabase.DataSource, deployment).ReadAllAsync(default);
        Assert.Empty(snapshot.Entries);
    }

    [Fact]
    public async Task Every_committed_membership_change_is_notified_with_its_deployment_id_and_nothing_else_is()
    {
        var deployment = TestDatabase.NewDeploymentId("notify");
        var table = await NewTableAsync(deployment: deployment);
        var other = await NewTableAsync("notify-other");
        var sentinel = "sentinel-" + Guid.NewGuid().ToString("N");
        await using var listener = await TestDatabase.DataSource.OpenConnectionAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN " + PostgresMembershipTable.ChangeChannel, listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var start = await table.ReadAllAsync(default);
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Joining), start.Version, default));
        Assert.False(await table.UpdateAsync(Entry(1, SiloStatus.Active), start.Version, default));
        await table.UpdateIAmAliveAsync(Entry(1, SiloStatus.Joining).Address, Now.AddSeconds(5), default);
        Assert.True(await table.UpdateAsync(Entry(1, SiloStatus.Active), start.Version + 1, default));
        Assert.True(await other.InsertAsync(Entry(1, SiloStatus.Joining), (await other.ReadAllAsync(default)).Version, default));
        // PostgreSQL delivers notifications in commit order: once the sentinel is here, everything before it is too.
        await using (var notify = TestDatabase.DataSource.CreateCommand($"SELECT pg_notify('{PostgresMembershipTable.ChangeChannel}', '{sentinel}')"))
        {
            await notify.ExecuteNonQueryAsync();
        }

        while (!payloads.Contains(sentinel))
        {
            Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)), "the sentinel notification did not arrive");
        }

        Assert.Equal(2, payloads.Count(p => p == deployment)); // the insert and the accepted update
    }

    [Fact]
    public async Task The_change_listener_reports_when_it_listens_and_after_each_change_of_its_deployment()
    {
        var table = await NewTableAsync("listen");
        var calls = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        using var stop = new CancellationTokenSource();
        var listening = table.ListenAsync(() => calls.Writer.TryWrite(true), stop.Token);

        await calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await table.InsertAsync(Entry(1, SiloStatus.Joining), (await table.ReadAllAsync(default)).Version, default));
        await calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<PostgresMembershipTable> NewTableAsync(string name = "table", string? deployment = null)
    {
        var table = new PostgresMembershipTable(TestDatabase.DataSource, deployment ?? TestDatabase.NewDeploymentId(name));
        await table.InitializeAsync(default);
        return table;
    }

    private static MembershipEntry Entry(int silo, SiloStatus status) =>
        new(new SiloAddress("127.0.0.1", 20000 + silo, 1000 + silo), $"silo-{silo}", "test-host", status, 1883, [], Now, Now);
}
