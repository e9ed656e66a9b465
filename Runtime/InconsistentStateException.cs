namespace GrainMQ.Runtime;

/// <summary>
/// A state write or clear expected a version that is no longer the stored one: another activation of the grain (a newer
/// one, or one that should no longer exist) wrote or cleared it since this one read it. Nothing was changed. The
/// runtime deactivates the activation whose write lost, without writing again; the grain's next message activates it
/// anew, reading the stored state.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception for a write of <paramref name="grainId"/> that expected <paramref name="expectedVersion"/>.</summary>
    public InconsistentStateException(GrainId grainId, long expectedVersion, long storedVersion)
        : base($"The state of grain {grainId} is at version {storedVersion}, not at the expected {expectedVersion}: another activation wrote it.")
    {
        GrainId = grainId;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The grain whose write lost.</summary>
    public GrainId GrainId { get; }

    /// <summary>The version the write expected to replace (0: nothing stored).</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version found stored right after the write was refused (0: nothing stored).</summary>
    public long StoredVersion { get; }
}
