using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrainMQ.Cluster.Tests;

public sealed class StateConflictTests
{
    [Fact]
    public async Task A_call_whose_state_write_lost_to_another_activation_fails_and_the_next_call_counts_on_the_winning_state()
    {
        var deployment = TestDatabase.NewDeploymentId("conflict");
        await using var silo = await InProcessSilo.StartAsync(deployment, "a");
        var counter = silo.Grains.GetGrain("counter", "contested");
        Assert.Equal(1, (await counter.AskAsync<Counted>(new Add(1))).Total);

        // What a newer activation of the grain on another silo does: write over the version this activation read.
        await using var otherSilo = new PostgresGrainStorage(TestDatabase.DataSource, deployment, new PostgresStorageOptions(), NullLogger<PostgresGrainStorage>.Instance);
        var id = new GrainId("counter", "contested");
        var stored = (await otherSilo.ReadAsync(id, default))!.Value;
        Assert.Equal(2, await otherSilo.WriteAsync(id, """{"Total":100}"""u8.ToArray(), stored.Version, default));

        var lost = await Assert.ThrowsAsync<InconsistentStateException>(() => counter.AskAsync<Counted>(new Add(1)));
        Assert.Equal((1L, 2L), (lost.ExpectedVersion, lost.StoredVersion));
        Assert.Equal(101, (await counter.AskAsync<Counted>(new Add(1))).Total);
        Assert.Equal(3, (await otherSilo.ReadAsync(id, default))!.Value.Version);
    }
}
