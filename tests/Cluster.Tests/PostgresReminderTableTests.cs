using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Postgres;
using GrainMQ.Runtime.Reminders;

namespace GrainMQ.Cluster.Tests;

public sealed class PostgresReminderTableTests
{
    private static readonly HashRange WholeRing = new(0, uint.MaxValue);

    [Fact]
    public async Task A_registered_reminder_is_read_once_due_and_is_gone_once_deleted()
    {
        await using var table = await NewTableAsync();
        var session = new GrainId("session", "client-1");

        await table.UpsertAsync(session, 10_000, default);

        Assert.Empty(await table.ReadDueAsync(9_999, [WholeRing], 10, default));
        Assert.Equal(new[] { new ReminderEntry(session, 10_000) }, await table.ReadDueAsync(10_000, [WholeRing], 10, default));
        await table.DeleteAsync(session, default);
        Assert.Empty(await table.ReadDueAsync(long.MaxValue / 2, [WholeRing], 10, default));
    }

    [Fact]
    public async Task Registering_a_reminder_again_replaces_its_due_time()
    {
        await using var table = await NewTableAsync();
        var session = new GrainId("session", "client-1");

        await table.UpsertAsync(session, 10_000, default);
        await table.UpsertAsync(session, 50_000, default);

        Assert.Empty(await table.ReadDueAsync(49_999, [WholeRing], 10, default));
        Assert.Equal(new[] { new ReminderEntry(session, 50_000) }, await table.ReadDueAsync(60_000, [WholeRing], 10, default));
    }

    [Fact]
    public async Task The_due_query_returns_the_earliest_reminders_first_up_to_its_limit()
    {
        await using var table = await NewTableAsync();
        foreach (var due in new[] { 5, 3, 1, 4, 2 })
        {
            await table.UpsertAsync(new GrainId("session", $"c{due}"), due * 1_000L, default);
        }

        var read = await table.ReadDueAsync(10_000, [WholeRing], 3, default);

        Assert.Equal(new[] { "c1", "c2", "c3" }, read.Select(r => r.Grain.Key));
        Assert.Equal(new[] { 1_000L, 2_000L, 3_000L }, read.Select(r => r.DueAtUnixMs));
    }

    [Fact]
    public async Task Each_silo_reads_exactly_the_reminders_of_the_grains_it_owns_on_the_ring()
    {
        await using var table = await NewTableAsync();
        await using var others = await NewTableAsync();
        SiloAddress[] silos = [new("10.0.0.1", 11111, 1), new("10.0.0.2", 11111, 2), new("10.0.0.3", 11111, 3)];
        var ring = ConsistentHashRing.Build(silos, 64);
        var grains = Enumerable.Range(0, 300).Select(i => new GrainId("session", $"client-{i}")).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertAsync(grain, 1_000, default);
        }

        await others.UpsertAsync(new GrainId("session", "another deployment's"), 1_000, default);

        var readBySilo = new List<HashSet<GrainId>>();
        foreach (var silo in silos)
        {
            var read = await table.ReadDueAsync(1_000, ring.OwnedRanges(silo), 1_000, default);
            readBySilo.Add(read.Select(r => r.Grain).ToHashSet());
        }

        foreach (var grain in grains)
        {
            Assert.True(ring.TryGetOwner(grain, out var owner));
            for (var i = 0; i < silos.Length; i++)
            {
                Assert.Equal(silos[i] == owner, readBySilo[i].Contains(grain));
            }
        }

        Assert.All(readBySilo, set => Assert.NotEmpty(set));
        Assert.Equal(grains.Count, readBySilo.Sum(set => set.Count));
    }

    private static async Task<PostgresReminderTable> NewTableAsync()
    {
        var deployment = TestDatabase.NewDeploymentId("reminders");
        await new PostgresMembershipTable(TestDatabase.DataSource, deployment).InitializeAsync(default);
        return new PostgresReminderTable(TestDatabase.DataSource, deployment);
    }
}
