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
}
