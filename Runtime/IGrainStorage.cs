namespace GrainMQ.Runtime;

/// <summary>
/// Storage provider: the state of each grain as compact bytes (encoded by the grain's <see cref="IStateCodec{TState}"/>)
/// with a version, for optimistic concurrency (like an ETag). Every write and clear names the version it expects to
/// replace and succeeds only if the stored one is still that; otherwise it throws <see cref="InconsistentStateException"/>
/// and changes nothing. Version 0 means "nothing stored": a write expecting 0 only inserts, and every successful write
/// returns a new version greater than 0. So an activation that should no longer exist (a zombie on a silo declared
/// dead, a leftover of a hand-over race) can never overwrite what a newer activation of its grain wrote.
/// Implementations must be safe to call concurrently, also for one grain (two activations on two silos).
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored bytes of <paramref name="id"/> and their version, or null when nothing is stored.</summary>
    Task<StoredGrainState?> ReadAsync(GrainId id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="state"/> for <paramref name="id"/> if the stored version is <paramref name="expectedVersion"/>
    /// (0: only if nothing is stored) and returns the new version; throws <see cref="InconsistentStateException"/>
    /// otherwise. The bytes are copied if kept.
    /// </summary>
    Task<long> WriteAsync(GrainId id, ReadOnlyMemory<byte> state, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the stored state of <paramref name="id"/> if its version is <paramref name="expectedVersion"/> (0: succeeds
    /// when nothing is stored); throws <see cref="InconsistentStateException"/> otherwise.
    /// </summary>
    Task ClearAsync(GrainId id, long expectedVersion, CancellationToken cancellationToken);
}
