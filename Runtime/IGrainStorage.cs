namespace GrainMQ.Runtime;

/// <summary>
/// Storage provider: the state of each grain as compact bytes (encoded by the grain's <see cref="IStateCodec{TState}"/>).
/// Implementations must be safe to call concurrently for different grains; the runtime never calls them
/// concurrently for the same grain.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored bytes of <paramref name="id"/>, or null when nothing is stored.</summary>
    Task<ReadOnlyMemory<byte>?> ReadAsync(GrainId id, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="state"/> for <paramref name="id"/>, replacing what was there. The bytes are copied if kept.</summary>
    Task WriteAsync(GrainId id, ReadOnlyMemory<byte> state, CancellationToken cancellationToken);

    /// <summary>Deletes the stored state of <paramref name="id"/> (no error when there is none).</summary>
    Task ClearAsync(GrainId id, CancellationToken cancellationToken);
}
