using System.Collections.Concurrent;

namespace GrainMQ.Runtime;

/// <summary>
/// Grain storage in process memory: state survives deactivation but not the process. Versions are checked like any
/// <see cref="IGrainStorage"/>'s (an integer compare; the dictionary's compare-and-swap makes check and change atomic).
/// </summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, Entry> _states = new();
    private long _totalBytes;

    /// <summary>How many grains have stored state.</summary>
    public int Count => _states.Count;

    /// <summary>The total size of all stored states in bytes.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <inheritdoc />
    public Task<StoredGrainState?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        StoredGrainState? result = _states.TryGetValue(id, out var entry) ? new StoredGrainState(entry.State, entry.Version) : null;
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public Task<long> WriteAsync(GrainId id, ReadOnlyMemory<byte> state, long expectedVersion, CancellationToken cancellationToken)
    {
        var copy = state.ToArray();
        if (expectedVersion == 0)
        {
            if (!_states.TryAdd(id, new Entry(copy, 1)))
            {
                return Task.FromException<long>(Conflict(id, expectedVersion));
            }

            Interlocked.Add(ref _totalBytes, copy.Length);
            return Task.FromResult(1L);
        }

        // TryUpdate compares the whole entry (array reference and version): a change in between is a conflict too.
        if (!_states.TryGetValue(id, out var previous)
            || previous.Version != expectedVersion
            || !_states.TryUpdate(id, new Entry(copy, expectedVersion + 1), previous))
        {
            return Task.FromException<long>(Conflict(id, expectedVersion));
        }

        Interlocked.Add(ref _totalBytes, copy.Length - previous.State.Length);
        return Task.FromResult(expectedVersion + 1);
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainId id, long expectedVersion, CancellationToken cancellationToken)
    {
        if (!_states.TryGetValue(id, out var stored))
        {
            return expectedVersion == 0 ? Task.CompletedTask : Task.FromException(Conflict(id, expectedVersion));
        }

        if (stored.Version != expectedVersion || !_states.TryRemove(new KeyValuePair<GrainId, Entry>(id, stored)))
        {
            return Task.FromException(Conflict(id, expectedVersion));
        }

        Interlocked.Add(ref _totalBytes, -stored.State.Length);
        return Task.CompletedTask;
    }

    private InconsistentStateException Conflict(GrainId id, long expectedVersion) =>
        new(id, expectedVersion, _states.TryGetValue(id, out var stored) ? stored.Version : 0);

    private readonly record struct Entry(byte[] State, long Version);
}
