namespace GrainMQ.Runtime;

/// <summary>Counters of one grain type since the runtime started.</summary>
public sealed record GrainTypeStatistics(string GrainType, long Activations, long Deactivations, int Live, long MessagesProcessed);

/// <summary>Observes activations and deactivations.</summary>
public interface IRuntimeStatistics
{
    /// <summary>The counters of every registered grain type.</summary>
    IReadOnlyList<GrainTypeStatistics> Snapshot();

    /// <summary>The number of live activations of <paramref name="grainType"/> (0 for an unknown type).</summary>
    int LiveActivations(string grainType);

    /// <summary>Raised on a scheduler worker after an activation's <c>OnActivateAsync</c> completed. Handlers must be quick.</summary>
    event Action<GrainId>? Activated;

    /// <summary>Raised on a scheduler worker after an activation's state was written and the activation removed. Handlers must be quick.</summary>
    event Action<GrainId, DeactivationReason>? Deactivated;
}
