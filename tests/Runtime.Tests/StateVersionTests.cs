using System.Text;

namespace GrainMQ.Runtime.Tests;

public sealed class StateVersionTests
{
    [Fact]
    public async Task In_memory_storage_lets_exactly_one_of_concurrent_writers_expecting_one_version_win()
    {
        var storage = new InMemoryGrainStorage();
        var id = new GrainId("t", "race");
        Assert.Equal(1, await storage.WriteAsync(id, new byte[] { 0 }, expectedVersion: 0, CancellationToken.None));

        var writers = Enumerable.Range(1, 8)
            .Select(i => Task.Run(() => storage.WriteAsync(id, new[] { (byte)i }, expectedVersion: 1, CancellationToken.None)))
            .ToArray();
        var outcomes = await Task.WhenAll(writers.Select(async writer =>
        {
            try
            {
                return await writer;
            }
            catch (InconsistentStateException conflict)
            {
                Assert.Equal((id, 1L, 2L), (conflict.GrainId, conflict.ExpectedVersion, conflict.StoredVersion));
                return -1;
            }
        }));

        Assert.Equal(2, Assert.Single(outcomes, version => version > 0));
        var stored = await storage.ReadAsync(id, CancellationToken.None);
        Assert.Equal(2, stored!.Value.Version);
        Assert.Equal(Array.IndexOf(outcomes, 2L) + 1, stored.Value.State.Span[0]);
    }

    [Fact]
    public async Task In_memory_storage_inserts_only_when_nothing_is_stored_and_clears_only_the_expected_version()
    {
        var storage = new InMemoryGrainStorage();
        var id = new GrainId("t", "insert");
        await storage.WriteAsync(id, "first"u8.ToArray(), expectedVersion: 0, CancellationToken.None);

        var second = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(id, "second"u8.ToArray(), 0, CancellationToken.None));
        Assert.Equal((0L, 1L), (second.ExpectedVersion, second.StoredVersion));
        Assert.Equal("first", Encoding.UTF8.GetString((await storage.ReadAsync(id, CancellationToken.None))!.Value.State.Span));

        Assert.Equal(2, await storage.WriteAsync(id, "third"u8.ToArray(), expectedVersion: 1, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(id, expectedVersion: 1, CancellationToken.None));
        Assert.NotNull(await storage.ReadAsync(id, CancellationToken.None));

        await storage.ClearAsync(id, expectedVersion: 2, CancellationToken.None);
        Assert.Null(await storage.ReadAsync(id, CancellationToken.None));
        Assert.Equal(0, storage.TotalBytes);
        await storage.ClearAsync(id, expectedVersion: 0, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(id, expectedVersion: 2, CancellationToken.None));
        Assert.Equal(0, stale.StoredVersion);
    }

    [Fact]
    public async Task An_activation_whose_write_lost_is_deactivated_without_writing_and_the_next_message_sees_the_winning_state()
    {
        await using var host = await TestHost.StartAsync();
        var id = new GrainId(CounterGrain.Type, "lost-write");
        var grain = host.Grains.GetGrain(id);
        grain.Tell(new Increment());
        Assert.Equal(1, await grain.AskAsync<int>(new WriteNow()).WaitAsync(TestHost.Patience));

        // Another activation of the grain (on another silo, say) writes over the state this one read.
        await host.Storage.WriteAsync(id, """{"Count":42}"""u8.ToArray(), expectedVersion: 1, CancellationToken.None);
        var deactivated = host.NextDeactivation(id);
        grain.Tell(new Increment());
        var write = grain.AskAsync<int>(new WriteNow());
        grain.Tell(new Increment());

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => write.WaitAsync(TestHost.Patience));
        Assert.Equal((id, 1L, 2L), (conflict.GrainId, conflict.ExpectedVersion, conflict.StoredVersion));
        Assert.Equal(DeactivationReason.StateConflict, await deactivated);
        Assert.Equal(43, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        var stored = await host.Storage.ReadAsync(id, CancellationToken.None);
        Assert.Equal(2, stored!.Value.Version);
        Assert.Equal("""{"Count":42}""", Encoding.UTF8.GetString(stored.Value.State.Span));
        Assert.Equal(2, host.StatisticsOf(CounterGrain.Type).Activations);
    }

    [Fact]
    public async Task A_hibernating_activation_whose_write_lost_leaves_the_newer_state_in_place()
    {
        await using var host = await TestHost.StartAsync();
        var id = new GrainId(CounterGrain.Type, "lost-hibernation");
        var grain = host.Grains.GetGrain(id);
        grain.Tell(new Increment());
        Assert.Equal(1, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        await host.Storage.WriteAsync(id, """{"Count":42}"""u8.ToArray(), expectedVersion: 0, CancellationToken.None);
        var deactivated = host.NextDeactivation(id);

        host.Runtime.GrainTypes.SetIdleTimeout(CounterGrain.Type, TimeSpan.FromMilliseconds(100));
        Assert.Equal(DeactivationReason.IdleTimeout, await deactivated);
        host.Runtime.GrainTypes.SetIdleTimeout(CounterGrain.Type, TimeSpan.FromMinutes(2));

        var stored = await host.Storage.ReadAsync(id, CancellationToken.None);
        Assert.Equal((1L, """{"Count":42}"""), (stored!.Value.Version, Encoding.UTF8.GetString(stored.Value.State.Span)));
        Assert.Equal(42, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
    }
}
