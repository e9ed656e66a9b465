namespace GrainMQ.Runtime.Cgroups;

/// <summary>Which cgroup hierarchies the process lives in.</summary>
public enum CgroupMode
{
    /// <summary>No cgroup hierarchy found (not Linux, or cgroupfs not mounted): only the host's CPUs bound the budget.</summary>
    None,
    /// <summary>Only v1 hierarchies (one mount per controller group).</summary>
    V1,
    /// <summary>Only the unified v2 hierarchy.</summary>
    V2,
    /// <summary>v1 controller hierarchies plus a v2 (unified) mount; v1 wins for each controller it carries.</summary>
    Hybrid,
}

/// <summary>The version of one hierarchy.</summary>
public enum CgroupVersion
{
    /// <summary>A v1 hierarchy: one mount per controller (or group of controllers).</summary>
    V1,
    /// <summary>The unified v2 hierarchy.</summary>
    V2,
}

/// <summary>Where one controller was found for this process.</summary>
/// <param name="Version">The hierarchy's version.</param>
/// <param name="Path">The process's cgroup in that hierarchy, as the kernel names it (e.g. <c>/kubepods/pod1/c1</c>).</param>
/// <param name="Directory">The directory of that cgroup on the file system (under the reader's root).</param>
public sealed record CgroupController(CgroupVersion Version, string Path, string Directory);

/// <summary>A CFS bandwidth quota: <paramref name="QuotaMicroseconds"/> of CPU time per <paramref name="PeriodMicroseconds"/>.</summary>
/// <param name="QuotaMicroseconds">CPU time allowed per period (cpu.max first field, cpu.cfs_quota_us).</param>
/// <param name="PeriodMicroseconds">The period (cpu.max second field, cpu.cfs_period_us).</param>
/// <param name="CgroupPath">The cgroup (the leaf or an ancestor) that carries this quota.</param>
public sealed record CpuQuota(long QuotaMicroseconds, long PeriodMicroseconds, string CgroupPath)
{
    /// <summary>The quota in CPUs (fractional: 150000/100000 = 1.5).</summary>
    public double Cpus => (double)QuotaMicroseconds / PeriodMicroseconds;
}

/// <summary>The CPUs the process may run on.</summary>
/// <param name="List">The kernel's list text, e.g. <c>0-3,8</c>.</param>
/// <param name="Count">How many CPUs the list names.</param>
/// <param name="CgroupPath">The cgroup whose file was read.</param>
public sealed record CpuSet(string List, int Count, string CgroupPath);

/// <summary>The relative CPU weight: what a Kubernetes CPU request becomes.</summary>
/// <param name="Version">V1: <paramref name="Value"/> is cpu.shares; V2: it is cpu.weight.</param>
/// <param name="Value">The raw file value.</param>
/// <param name="CgroupPath">The cgroup whose file was read.</param>
public sealed record CpuWeight(CgroupVersion Version, long Value, string CgroupPath)
{
    /// <summary>The value as v1 shares (1024 = one requested CPU); a v2 weight is converted back with <paramref name="conversion"/>.</summary>
    public long ToShares(WeightConversion conversion) =>
        Version == CgroupVersion.V1 ? Value : CpuWeightConversion.WeightToShares(Value, conversion);
}

/// <summary>The tightest memory limit on the cgroup path.</summary>
/// <param name="Bytes">The limit (memory.max, memory.limit_in_bytes).</param>
/// <param name="CgroupPath">The cgroup that carries it.</param>
public sealed record MemoryLimit(long Bytes, string CgroupPath);

/// <summary>CFS throttling counters from cpu.stat.</summary>
/// <param name="Periods">Enforcement periods that have elapsed (nr_periods).</param>
/// <param name="ThrottledPeriods">Periods in which the cgroup ran out of quota (nr_throttled).</param>
/// <param name="ThrottledTime">Total time the cgroup was frozen for lack of quota (throttled_usec, throttled_time).</param>
/// <param name="CgroupPath">The cgroup whose counters these are (the one carrying the tightest quota, else the leaf).</param>
public sealed record CpuThrottling(long Periods, long ThrottledPeriods, TimeSpan ThrottledTime, string CgroupPath);

/// <summary>Everything <see cref="CgroupReader"/> found, at one moment. Absent values are null.</summary>
/// <param name="Mode">Which hierarchies exist for this process.</param>
/// <param name="Cpu">The hierarchy holding the cpu controller.</param>
/// <param name="Cpuset">The hierarchy holding the cpuset controller.</param>
/// <param name="Memory">The hierarchy holding the memory controller.</param>
/// <param name="Quota">The tightest CPU quota from the leaf up to the visible root.</param>
/// <param name="CpuSet">The effective cpuset, nearest to the leaf.</param>
/// <param name="Weight">The cpu.weight or cpu.shares nearest to the leaf.</param>
/// <param name="MemoryLimit">The tightest memory limit from the leaf up.</param>
/// <param name="Throttling">The cpu.stat throttling counters.</param>
/// <param name="HostCpus">The machine's online CPUs (/sys/devices/system/cpu/online; Environment.ProcessorCount if unreadable).</param>
public sealed record CgroupSnapshot(
    CgroupMode Mode,
    CgroupController? Cpu,
    CgroupController? Cpuset,
    CgroupController? Memory,
    CpuQuota? Quota,
    CpuSet? CpuSet,
    CpuWeight? Weight,
    MemoryLimit? MemoryLimit,
    CpuThrottling? Throttling,
    int HostCpus);
