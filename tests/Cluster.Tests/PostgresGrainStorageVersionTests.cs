using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GrainMQ.Cluster.Tests;

public sealed class PostgresGrainStorageVersionTests
{
    [Fact]
    public async Task Of_two_silos_writing_over_the_same_version_exactly_one_wins()
    {
        var deployment = await NewDeploymentAsync();
        await using var first = NewStorage(deployment);
        await using var second = NewStorage(deployment);
        var id = new GrainId("session", "contested");
        Assert.Equal(1, await first.WriteAsync(id, "start"u8.ToArray(), 0, default));

        var outcomes = await Task.WhenAll(
            OutcomeAsync(first.WriteAsync(id, "first"u8.ToArray(), 1, default)),
            OutcomeAsync(second.WriteAsync(id, "second"u8.ToArray(), 1, default)));

        Assert.Single(outcomes, outcome => outcome.Version == 2);
        var lost = Assert.Single(outcomes, outcome => outcome.Conflict is not null).Conflict!;
        Assert.Equal((id, 1L, 2L), (lost.GrainId, lost.ExpectedVersion, lost.StoredVersion));
        var winner = outcomes[0].Version == 2 ? "first" : "second";
        var stored = await first.ReadAsync(id, default);
        Assert.Equal((2L, winner), (stored!.Value.Version, System.Text.Encoding.UTF8.GetString(stored.Value.State.Span)));
    }

    [Fact]
    public async Task Of_two_silos_creating_the_same_state_exactly_one_inserts_it()
    {
        var deployment = await NewDeploymentAsync();
        await using var first = NewStorage(deployment);
        await using var second = NewStorage(deployment);
        var id = new GrainId("session", "created-twice");

        var outcomes = await Task.WhenAll(
            OutcomeAsync(first.WriteAsync(id, "first"u8.ToArray(), 0, default)),
            OutcomeAsync(second.WriteAsync(id, "second"u8.ToArray(), 0, default)));

        Assert.Single(outcomes, outcome => outcome.Version == 1);
        Assert.Equal(1, Assert.Single(outcomes, outcome => outcome.Conflict is not null).Conflict!.StoredVersion);
    }

    [Fact]
    public async Task A_stale_write_in_a_batch_fails_alone_and_the_fresh_ones_commit()
    {
        var deployment = await NewDeploymentAsync();
        await using var storage = NewStorage(deployment, writers: 1);
        var blocker = new GrainId("topic", "blocker");
        var stale = new GrainId("topic", "stale");
        var updated = new GrainId("topic", "updated");
        var created = new GrainId("topic", "created");
        await storage.WriteAsync(blocker, "b1"u8.ToArray(), 0, default);
        await storage.WriteAsync(stale, "s1"u8.ToArray(), 0, default);
        await storage.WriteAsync(stale, "s2"u8.ToArray(), 1, default);
        await storage.WriteAsync(updated, "u1"u8.ToArray(), 0, default);
        var batchesBefore = storage.Batches;

        // Holding the blocker's row lock stalls the single writer on its first batch, so that everything queued
        // meanwhile shares a batch with at least one fresh write.
        await using (var connection = await TestDatabase.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_key = 'blocker' FOR UPDATE", connection, transaction))
            {
                lockRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deployment });
                await lockRow.ExecuteNonQueryAsync();
            }

            var blocked = storage.WriteAsync(blocker, "b2"u8.ToArray(), 1, default);
            var fresh = new[]
            {
                storage.WriteAsync(created, "c1"u8.ToArray(), 0, default),
                storage.WriteAsync(updated, "u2"u8.ToArray(), 1, default),
            };
            var staleWrite = storage.WriteAsync(stale, "lost"u8.ToArray(), 1, default);
            var staleClear = storage.ClearAsync(stale, 1, default);
            await transaction.CommitAsync();

            Assert.Equal(2, await blocked.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(new long[] { 1, 2 }, await Task.WhenAll(fresh).WaitAsync(TimeSpan.FromSeconds(10)));
            var lost = await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal((1L, 2L), (lost.ExpectedVersion, lost.StoredVersion));
            await Assert.ThrowsAsync<InconsistentStateException>(() => staleClear.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.InRange(storage.Batches - batchesBefore, 1, 2);
        Assert.Equal(2, storage.Conflicts);
        Assert.Equal((2L, "s2"), await ReadAsync(storage, stale));
        Assert.Equal((1L, "c1"), await ReadAsync(storage, created));
        Assert.Equal((2L, "u2"), await ReadAsync(storage, updated));
    }

    [Fact]
    public async Task A_state_table_created_before_versions_is_upgraded_at_start_up_and_its_rows_start_at_version_1()
    {
        var schema = $"upgrade_{Guid.NewGuid():N}";
        await ExecuteAsync(TestDatabase.DataSource, $"""
            CREATE SCHEMA {schema};
            CREATE TABLE {schema}.grainmq_grain_state (
              deployment_id text NOT NULL,
              grain_type text NOT NULL,
              grain_key text NOT NULL,
              state bytea NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (deployment_id, grain_type, grain_key));
            INSERT INTO {schema}.grainmq_grain_state (deployment_id, grain_type, grain_key, state) VALUES ('old', 'session', 'kept', '\x6f6c64');
            """);
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { SearchPath = schema }.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await PostgresSchema.ApplyAsync(dataSource, default);
            await PostgresSchema.ApplyAsync(dataSource, default);
            await using var storage = new PostgresGrainStorage(dataSource, "old", new PostgresStorageOptions(), NullLogger<PostgresGrainStorage>.Instance);
            var id = new GrainId("session", "kept");

            Assert.Equal((1L, "old"), await ReadAsync(storage, id));
            Assert.Equal(2, await storage.WriteAsync(id, "new"u8.ToArray(), 1, default));
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(id, "stale"u8.ToArray(), 1, default));
            Assert.Equal((2L, "new"), await ReadAsync(storage, id));
        }
        finally
        {
            await ExecuteAsync(TestDatabase.DataSource, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static async Task<(long Version, InconsistentStateException? Conflict)> OutcomeAsync(Task<long> write)
    {
        try
        {
            return (await write.WaitAsync(TimeSpan.FromSeconds(10)), null);
        }
        catch (InconsistentStateException conflict)
        {
            return (0, conflict);
        }
    }

    private static async Task<(long Version, string State)> ReadAsync(PostgresGrainStorage storage, GrainId id)
    {
        var stored = await storage.ReadAsync(id, default) ?? throw new InvalidOperationException($"Nothing stored for {id}.");
        return (stored.Version, System.Text.Encoding.UTF8.GetString(stored.State.Span));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> NewDeploymentAsync()
    {
        var deployment = TestDatabase.NewDeploymentId("versions");
        await new PostgresMembershipTable(TestDatabase.DataSource, deployment).InitializeAsync(default);
        return deployment;
    }

    private static PostgresGrainStorage NewStorage(string deployment, int writers = 2) =>
        new(TestDatabase.DataSource, deployment, new PostgresStorageOptions { Writers = writers }, NullLogger<PostgresGrainStorage>.Instance);
}
