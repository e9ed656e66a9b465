namespace GrainMQ.Runtime;

/// <summary>The stored bytes of a grain's state and their version (greater than 0; see <see cref="IGrainStorage"/>).</summary>
public readonly record struct StoredGrainState(ReadOnlyMemory<byte> State, long Version);
