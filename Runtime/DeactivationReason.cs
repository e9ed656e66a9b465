namespace GrainMQ.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>No messages arrived for the grain type's idle timeout.</summary>
    IdleTimeout,

    /// <summary>The grain called <c>DeactivateOnIdle</c>.</summary>
    Requested,

    /// <summary>The runtime is stopping.</summary>
    ShuttingDown,

    /// <summary>
    /// A state write or clear of the activation lost to another activation's (<see cref="InconsistentStateException"/>):
    /// its state is stale, so it stops right after the current turn, without <see cref="Grain.OnDeactivateAsync"/> and
    /// without writing; its queued messages go to a new activation, which reads the stored state.
    /// </summary>
    StateConflict,
}
