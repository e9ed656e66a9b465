using System.Diagnostics;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Postgres;
using Npgsql;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// Reads a deployment's membership table the way an operator would, and waits for a condition on it by listening for
/// the table's change notifications (<see cref="PostgresMembershipTable.ChangeChannel"/>, sent on every committed
/// membership write): the table is read again on each notification of this deployment.
/// </summary>
public sealed class MembershipProbe(string deploymentId)
{
    private readonly PostgresMembershipTable _table = new(TestDatabase.DataSource, deploymentId);

    public Task<MembershipSnapshot> ReadAsync() => _table.ReadAllAsync(default);

    /// <summary>Waits until <paramref name="address"/> has <paramref name="status"/>; returns how long it took.</summary>
    public Task<TimeSpan> WaitForStatusAsync(SiloAddress address, SiloStatus status, TimeSpan timeout) =>
        WaitForAsync(s => s.Find(address)?.Status == status, timeout, $"{address} to become {status}");

    /// <summary>
    /// Waits until a read of the table satisfies <paramref name="condition"/> (checked at once, then after each change
    /// notification of the deployment); returns how long it took, or throws <see cref="TimeoutException"/> quoting the
    /// table as last read.
    /// </summary>
    public async Task<TimeSpan> WaitForAsync(Func<MembershipSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.StartNew();
        await using var connection = await TestDatabase.DataSource.OpenConnectionAsync();
        var notified = false;
        connection.Notification += (_, e) => notified |= e.Payload == deploymentId;
        await using (var listen = new NpgsqlCommand("LISTEN " + PostgresMembershipTable.ChangeChannel, connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        // Listening before the first read: a change committed after it is notified.
        var snapshot = await ReadAsync();
        while (!condition(snapshot))
        {
            notified = false;
            while (!notified)
            {
                // Whole milliseconds, at least one: Npgsql reads a timeout of 0 as "wait forever".
                var remainingMs = (int)Math.Ceiling((timeout - started.Elapsed).TotalMilliseconds);
                if (remainingMs <= 0 || !await connection.WaitAsync(remainingMs))
                {
                    throw new TimeoutException($"Waited {timeout} for {what}; the table: {string.Join(", ", (await ReadAsync()).Entries)}");
                }
            }

            snapshot = await ReadAsync();
        }

        return started.Elapsed;
    }
}
