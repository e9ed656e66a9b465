namespace GrainMQ.Runtime.Cgroups;

/// <summary>
/// Reads the process's cgroup limits from the file system: v1, v2 and hybrid hierarchies. Pure apart from reading
/// files: every path is resolved under <see cref="Root"/> ("/" in production; a fixture tree in tests). Never throws
/// for missing or unreadable files; what cannot be read is reported as absent (null).
/// </summary>
public sealed class CgroupReader
{
    /// <summary>Reads the real file system.</summary>
    public CgroupReader()
        : this("/")
    {
    }

    /// <summary>Reads a tree rooted at <paramref name="root"/>, holding proc/self/cgroup, proc/self/mountinfo and sys/...</summary>
    public CgroupReader(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    /// <summary>The directory that stands for "/".</summary>
    public string Root { get; }

    /// <summary>Reads everything once: mounts, the process's cgroups, limits and counters.</summary>
    public CgroupSnapshot Read()
    {
        var hierarchies = CgroupHierarchies.Parse(
            Root,
            ReadFile(Path.Combine(Root, "proc", "self", "cgroup")),
            ReadFile(Path.Combine(Root, "proc", "self", "mountinfo")));
        var cpu = hierarchies.Find("cpu");
        var cpuset = hierarchies.Find("cpuset");
        var memory = hierarchies.Find("memory");
        CgroupLevel? quotaCarrier = null;
        var quota = cpu is null ? null : ReadTightestQuota(cpu, out quotaCarrier);

        return new CgroupSnapshot(
            hierarchies.Mode,
            cpu?.ToController(),
            cpuset?.ToController(),
            memory?.ToController(),
            quota,
            cpuset is null ? null : ReadCpuSet(cpuset),
            cpu is null ? null : ReadWeight(cpu),
            memory is null ? null : ReadTightestMemoryLimit(memory),
            cpu is null ? null : ReadThrottling(quotaCarrier ?? cpu.Leaf),
            ReadHostCpus());
    }

    // Every ancestor's quota applies to the process (a child can never use more than its parent), so the limit is the
    // smallest quota/period on the path, wherever it sits. Kubernetes puts one on the pod and one on the container.
    private static CpuQuota? ReadTightestQuota(CgroupLocation cpu, out CgroupLevel? carrier)
    {
        CpuQuota? tightest = null;
        carrier = null;
        foreach (var level in cpu.LeafToRoot)
        {
            var quota = ReadQuota(cpu.Version, level.Directory);
            if (quota is { } q && (tightest is null || (double)q.Quota / q.Period < tightest.Cpus))
            {
                tightest = new CpuQuota(q.Quota, q.Period, level.Path);
                carrier = level;
            }
        }

        return tightest;
    }

    private static (long Quota, long Period)? ReadQuota(CgroupVersion version, string directory)
    {
        if (version == CgroupVersion.V2)
        {
            var max = ReadFile(Path.Combine(directory, "cpu.max"));
            return max is null ? null : CgroupFileParsers.CpuMax(max);
        }

        var quota = ReadFile(Path.Combine(directory, "cpu.cfs_quota_us"));
        return quota is null ? null : CgroupFileParsers.CfsQuota(quota, ReadFile(Path.Combine(directory, "cpu.cfs_period_us")));
    }

    // The effective list already accounts for the ancestors, so the nearest cgroup that has one decides. v2 names it
    // cpuset.cpus.effective (present only where the controller is enabled), v1 cpuset.effective_cpus; cpuset.cpus is
    // the fallback (empty in v2 means "inherit", so the walk goes on up).
    private static CpuSet? ReadCpuSet(CgroupLocation cpuset)
    {
        string[] names = cpuset.Version == CgroupVersion.V2
            ? ["cpuset.cpus.effective", "cpuset.cpus"]
            : ["cpuset.effective_cpus", "cpuset.cpus"];
        foreach (var level in cpuset.LeafToRoot)
        {
            foreach (var name in names)
            {
                var text = ReadFile(Path.Combine(level.Directory, name));
                if (text is not null && CgroupFileParsers.CpuListCount(text) is { } count)
                {
                    return new CpuSet(text.Trim(), count, level.Path);
                }
            }
        }

        return null;
    }

    // The weight is relative to siblings, so only the nearest cgroup's own value says what this process was given
    // (the container's request, not the pod's or the node's).
    private static CpuWeight? ReadWeight(CgroupLocation cpu)
    {
        var name = cpu.Version == CgroupVersion.V2 ? "cpu.weight" : "cpu.shares";
        foreach (var level in cpu.LeafToRoot)
        {
            var text = ReadFile(Path.Combine(level.Directory, name));
            if (text is not null && CgroupFileParsers.Weight(text) is { } value)
            {
                return new CpuWeight(cpu.Version, value, level.Path);
            }
        }

        return null;
    }

    private static MemoryLimit? ReadTightestMemoryLimit(CgroupLocation memory)
    {
        var name = memory.Version == CgroupVersion.V2 ? "memory.max" : "memory.limit_in_bytes";
        MemoryLimit? tightest = null;
        foreach (var level in memory.LeafToRoot)
        {
            var text = ReadFile(Path.Combine(level.Directory, name));
            if (text is not null && CgroupFileParsers.MemoryLimit(text) is { } bytes && (tightest is null || bytes < tightest.Bytes))
            {
                tightest = new MemoryLimit(bytes, level.Path);
            }
        }

        return tightest;
    }

    // A cgroup's cpu.stat counts its own bandwidth only: when the quota sits on the pod, the pod is what gets throttled
    // and the container's counters stay at zero. So read the cgroup that carries the tightest quota, else the leaf.
    private static CpuThrottling? ReadThrottling(CgroupLevel level)
    {
        var text = ReadFile(Path.Combine(level.Directory, "cpu.stat"));
        if (text is null || CgroupFileParsers.CpuStat(text) is not { } stat)
        {
            return null;
        }

        return new CpuThrottling(stat.Periods, stat.Throttled, stat.ThrottledTime, level.Path);
    }

    private int ReadHostCpus()
    {
        var online = ReadFile(Path.Combine(Root, "sys", "devices", "system", "cpu", "online"));
        return (online is null ? null : CgroupFileParsers.CpuListCount(online)) ?? Environment.ProcessorCount;
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
