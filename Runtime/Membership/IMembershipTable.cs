namespace GrainMQ.Runtime.Membership;

/// <summary>
/// The cluster's membership table (one per deployment id): a version and one row per silo incarnation. Every write that
/// changes membership (insert, status, suspect votes) is conditioned on the version the writer read and increments
/// it, so of two writers that read the same version exactly one succeeds (optimistic concurrency); the loser reads
/// again and retries. Only <see cref="UpdateIAmAliveAsync"/> writes without a version check. Implementations must be
/// safe for concurrent use.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates the schema if needed (idempotent) and the deployment's version row.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The version and all rows, read atomically.</summary>
    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="entry"/> if the table is still at <paramref name="expectedVersion"/> and the row does not exist.</summary>
    Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row of <paramref name="entry"/>'s address (status, suspect votes, gateway port) if the table is still
    /// at <paramref name="expectedVersion"/>. A row that is <see cref="SiloStatus.Dead"/> is never changed: false.
    /// </summary>
    Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Writes the I-am-alive time of a row that is not dead (no version check, no version change).</summary>
    Task UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset time, CancellationToken cancellationToken);
}
