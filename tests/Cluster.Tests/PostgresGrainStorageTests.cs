using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrainMQ.Cluster.Tests;

public sealed class PostgresGrainStorageTests
{
    [Fact]
    public async Task Written_state_is_read_back_and_a_cleared_one_is_gone()
    {
        await using var storage = NewStorage();
        var id = new GrainId("session", "client-1");

        Assert.Null(await storage.ReadAsync(id, default));
        Assert.Equal(1, await storage.WriteAsync(id, "first"u8.ToArray(), 0, default));
        Assert.Equal(2, await storage.WriteAsync(id, "second"u8.ToArray(), 1, default));
        var stored = await storage.ReadAsync(id, default);
        Assert.Equal("second"u8.ToArray(), stored!.Value.State.ToArray());
        Assert.Equal(2, stored.Value.Version);

        await storage.ClearAsync(id, 2, default);
        Assert.Null(await storage.ReadAsync(id, default));
    }

    [Fact]
    public async Task Concurrent_writes_are_committed_in_shared_batches()
    {
        await using var storage = NewStorage();
        var writes = Enumerable.Range(0, 500).Select(i => storage.WriteAsync(new GrainId("topic", $"t{i}"), new[] { (byte)i }, 0, default));

        await Task.WhenAll(writes);

        Assert.Equal(500, storage.Operations);
        Assert.True(storage.Batches < 500, $"{storage.Batches} batches for 500 writes");
        Assert.Equal(new[] { (byte)77 }, (await storage.ReadAsync(new GrainId("topic", "t77"), default))!.Value.State.ToArray());
    }

    [Fact]
    public async Task Scanning_a_grain_type_returns_every_stored_state_of_that_type()
    {
        await using var storage = NewStorage();
        await storage.WriteAsync(new GrainId("retained", "a/b"), "1"u8.ToArray(), 0, default);
        await storage.WriteAsync(new GrainId("retained", "a/c"), "2"u8.ToArray(), 0, default);
        await storage.WriteAsync(new GrainId("topic", "a/#"), "3"u8.ToArray(), 0, default);

        var scanned = new Dictionary<string, string>();
        await foreach (var (key, state) in storage.ScanAsync("retained", default))
        {
            scanned[key] = System.Text.Encoding.UTF8.GetString(state.Span);
        }

        Assert.Equal(new Dictionary<string, string> { ["a/b"] = "1", ["a/c"] = "2" }, scanned);
    }

    private static PostgresGrainStorage NewStorage()
    {
        var deployment = TestDatabase.NewDeploymentId("storage");
        new PostgresMembershipTable(TestDatabase.DataSource, deployment).InitializeAsync(default).GetAwaiter().GetResult();
        return new PostgresGrainStorage(TestDatabase.DataSource, deployment, new PostgresStorageOptions(), NullLogger<PostgresGrainStorage>.Instance);
    }
}
