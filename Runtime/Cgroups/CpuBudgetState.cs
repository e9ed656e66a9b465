namespace GrainMQ.Runtime.Cgroups;

/// <summary>The budget in force, what was actually applied, and the latest cgroup reading (counters refreshed every poll).</summary>
/// <param name="Budget">The budget and the sizes computed from it.</param>
/// <param name="Cgroup">The latest reading: limits, memory, throttling counters.</param>
/// <param name="ThreadPool">The thread pool bounds read back from the pool (what it accepted, not what was asked).</param>
/// <param name="SchedulerWorkers">The grain scheduler's worker count read back from it.</param>
/// <param name="ReadAt">When <paramref name="Cgroup"/> was read.</param>
public sealed record CpuBudgetState(
    CpuBudget Budget,
    CgroupSnapshot Cgroup,
    ThreadPoolLimits ThreadPool,
    int SchedulerWorkers,
    DateTimeOffset ReadAt)
{
    /// <summary>cpu.stat's throttling counters at the latest reading (null where the cgroup has none).</summary>
    public CpuThrottling? Throttling => Cgroup.Throttling;
}
