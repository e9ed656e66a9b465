namespace GrainMQ.Runtime.Cgroups;

/// <summary>The CPU budget as applied, for metrics, the dashboard and the gateway's own loops.</summary>
public interface ICpuBudgetMonitor
{
    /// <summary>
    /// The latest state; replaced (never mutated) at start and at every poll, so the throttling counters are at most one
    /// poll interval old. Safe to read from any thread.
    /// </summary>
    CpuBudgetState Current { get; }

    /// <summary>
    /// Raised on the poll loop after a changed budget has been applied (not for counter-only updates). Handlers must be
    /// quick and must not throw.
    /// </summary>
    event Action<CpuBudgetState>? Changed;
}
