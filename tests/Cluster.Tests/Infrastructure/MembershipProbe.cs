using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Postgres;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>Reads a deployment's membership table the way an operator would, and waits for a row to reach a status.</summary>
public sealed class MembershipProbe(string deploymentId)
{
    private readonly PostgresMembershipTable _table = new(TestDatabase.DataSource, deploymentId);

    public Task<MembershipSnapshot> ReadAsync() => _table.ReadAllAsync(default);

    /// <summary>
    /// Polls the table (the table is the signal: nothing in the cluster tells a bystander) until
    /// <paramref name="address"/> has <paramref name="status"/>; returns how long it took.
    /// </summary>
    public async Task<TimeSpan> WaitForStatusAsync(SiloAddress address, SiloStatus status, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (started.Elapsed < timeout)
        {
            if ((await ReadAsync()).Find(address)?.Status == status)
            {
                return started.Elapsed;
            }

            await poll.WaitForNextTickAsync();
        }

        throw new TimeoutException($"{address} did not become {status} within {timeout}: {string.Join(", ", (await ReadAsync()).Entries)}");
    }
}
