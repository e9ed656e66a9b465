namespace GrainMQ.Runtime.Memory;

/// <summary>What the trimmer observed at one check: deactivations so far, bytes allocated so far, and when.</summary>
/// <param name="Deactivations">Activations deactivated since the runtime started (all grain types).</param>
/// <param name="AllocatedBytes">Bytes allocated by the process since it started.</param>
/// <param name="Timestamp">When the sample was taken.</param>
internal readonly record struct MemorySample(long Deactivations, long AllocatedBytes, TimeSpan Timestamp);

/// <summary>The decision of <see cref="MemoryTrimService"/>, kept apart from the clock and the GC so it can be tested with numbers.</summary>
internal static class MemoryTrimPolicy
{
    /// <summary>
    /// True when at least <see cref="MemoryTrimOptions.TrimAfterDeactivations"/> activations were deactivated since
    /// the last trim (<paramref name="lastTrim"/>), the process allocated no faster than
    /// <see cref="MemoryTrimOptions.TrimMaxAllocationRate"/> between <paramref name="previous"/> and
    /// <paramref name="current"/>, and <see cref="MemoryTrimOptions.MinTrimInterval"/> has passed since the last trim.
    /// </summary>
    public static bool ShouldTrim(MemoryTrimOptions options, MemorySample lastTrim, MemorySample previous, MemorySample current)
    {
        if (!options.TrimAfterHibernation
            || current.Deactivations - lastTrim.Deactivations < options.TrimAfterDeactivations
            || current.Timestamp - lastTrim.Timestamp < options.MinTrimInterval)
        {
            return false;
        }

        var window = current.Timestamp - previous.Timestamp;
        if (window <= TimeSpan.Zero)
        {
            return false;
        }

        var rate = (current.AllocatedBytes - previous.AllocatedBytes) / window.TotalSeconds;
        return rate <= options.TrimMaxAllocationRate;
    }
}
