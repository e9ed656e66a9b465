namespace GrainMQ.Runtime;

/// <summary>The registered grain types and their per-type settings, adjustable at run time.</summary>
public interface IGrainTypeRegistry
{
    /// <summary>The registered grain type names.</summary>
    IReadOnlyCollection<string> GrainTypes { get; }

    /// <summary>The idle timeout of <paramref name="grainType"/>.</summary>
    TimeSpan GetIdleTimeout(string grainType);

    /// <summary>Changes the idle timeout of <paramref name="grainType"/>; applies to the next collection scan.</summary>
    void SetIdleTimeout(string grainType, TimeSpan idleTimeout);
}
