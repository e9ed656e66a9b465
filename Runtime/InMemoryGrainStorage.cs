using System.Collections.Concurrent;

namespace GrainMQ.Runtime;

/// <summary>Grain storage in process memory: state survives deactivation but not the process.</summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, byte[]> _states = new();
    private long _totalBytes;

    /// <summary>How many grains have stored state.</summary>
    public int Count => _states.Count;

    /// <summary>The total size of all stored states in bytes.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <inheritdoc />
    public Task<ReadOnlyMemory<byte>?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        // Careful: a plain `bytes : null` would turn null into an empty ReadOnlyMemory through the array conversion.
        var result = _states.TryGetValue(id, out var bytes) ? new ReadOnlyMemory<byte>(bytes) : (ReadOnlyMemory<byte>?)null;
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public Task WriteAsync(GrainId id, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        var copy = state.ToArray();
        while (true)
        {
            if (_states.TryGetValue(id, out var previous))
            {
                if (_states.TryUpdate(id, copy, previous))
                {
                    Interlocked.Add(ref _totalBytes, copy.Length - previous.Length);
                    break;
                }
            }
            else if (_states.TryAdd(id, copy))
            {
                Interlocked.Add(ref _totalBytes, copy.Length);
                break;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainId id, CancellationToken cancellationToken)
    {
        if (_states.TryRemove(id, out var removed))
        {
            Interlocked.Add(ref _totalBytes, -removed.Length);
        }

        return Task.CompletedTask;
    }
}
