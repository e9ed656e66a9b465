namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// A fact that needs to create real cgroups (<see cref="CgroupV1Cpu"/>). Where that is not permitted — not root, no
/// cgroup v1 cpu hierarchy, a read-only cgroupfs — the test is reported as skipped with the reason; xunit 2 has no
/// skip from inside a test, so the reason is found when the test is discovered.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CgroupFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> to why cgroups cannot be created here, if they cannot.</summary>
    public CgroupFactAttribute()
    {
        if (CgroupV1Cpu.WhyUnavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
