namespace GrainMQ.Runtime;

/// <summary>
/// Optional capability of an <see cref="IGrainStorage"/>: reads every stored state of one grain type. A silo joining a
/// cluster uses it to rebuild per-silo indexes (subscriptions, retained messages) that other silos' grains own.
/// </summary>
public interface IGrainStateScanner
{
    /// <summary>Every (key, state) stored for <paramref name="grainType"/>, in no particular order.</summary>
    IAsyncEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> ScanAsync(string grainType, CancellationToken cancellationToken);
}
