using System.Globalization;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// A real cgroup in the cgroup v1 <c>cpu</c> hierarchy (<see cref="HierarchyRoot"/>), created for one test under a name
/// no other run uses (tests of several engineers may run on the same machine at once). Disposing removes its children
/// and then itself; a process still inside (a Silo that was not reaped) is first moved back to the root cgroup, so that
/// a failing test leaves no cgroup behind.
/// </summary>
public sealed class CgroupV1Cpu : IDisposable
{
    /// <summary>Where the cgroup v1 <c>cpu</c> controller is mounted.</summary>
    public const string HierarchyRoot = "/sys/fs/cgroup/cpu";

    /// <summary>The CFS period the kernel uses by default, and these tests too (100 ms).</summary>
    public const long DefaultPeriodMicroseconds = 100_000;

    /// <summary>
    /// The cpu.shares of a cgroup made by <see cref="Create"/>: the weight of 8 busy tasks against the processes of the
    /// root cgroup (builds and other tests), so that on a loaded machine the quota, not the neighbours, limits the Silo.
    /// </summary>
    public const long Shares = 8192;

    private const string NamePrefix = "grainmq-test-";
    private const string ProcessesFile = "cgroup.procs";

    private static readonly Lazy<string?> Unavailable = new(FindWhyUnavailable);

    private readonly List<CgroupV1Cpu> _children = [];
    private bool _disposed;

    private CgroupV1Cpu(string path)
    {
        Path = path;
        Directory = HierarchyRoot + path;
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>
    /// Null when this process may create cgroups in <see cref="HierarchyRoot"/>; otherwise why not (not Linux, not root,
    /// no v1 <c>cpu</c> hierarchy, a read-only cgroupfs). Found once, by creating and removing a probe cgroup.
    /// </summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>The cgroup's path as the kernel names it in /proc/PID/cgroup, e.g. <c>/grainmq-test-quota-1a2b3c4d</c>.</summary>
    public string Path { get; }

    /// <summary>The cgroup's directory, e.g. <c>/sys/fs/cgroup/cpu/grainmq-test-quota-1a2b3c4d</c>.</summary>
    public string Directory { get; }

    /// <summary>The file a process id is written to, to move that process into this cgroup.</summary>
    public string ProcessesPath => System.IO.Path.Combine(Directory, ProcessesFile);

    /// <summary>
    /// Creates a cgroup directly under the hierarchy's root, named <c>grainmq-test-{purpose}-{random}</c>, with
    /// <see cref="Shares"/>.
    /// </summary>
    public static CgroupV1Cpu Create(string purpose)
    {
        var cgroup = new CgroupV1Cpu("/" + UniqueName(purpose));
        try
        {
            cgroup.Write("cpu.shares", Shares);
            return cgroup;
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    /// <summary>Creates a child cgroup, removed when this one is disposed.</summary>
    public CgroupV1Cpu CreateChild(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var child = new CgroupV1Cpu(Path + "/" + name);
        _children.Add(child);
        return child;
    }

    /// <summary>Sets the CFS quota (cpu.cfs_period_us, then cpu.cfs_quota_us): <paramref name="cpus"/> CPUs of time per period.</summary>
    public void SetQuota(double cpus, long periodMicroseconds = DefaultPeriodMicroseconds)
    {
        Write("cpu.cfs_period_us", periodMicroseconds);
        Write("cpu.cfs_quota_us", (long)Math.Round(cpus * periodMicroseconds));
    }

    /// <summary>The ids of the processes in this cgroup (not in its children).</summary>
    public IReadOnlyList<int> Processes()
    {
        var ids = new List<int>();
        foreach (var line in File.ReadAllLines(ProcessesPath))
        {
            if (line.Length > 0)
            {
                ids.Add(int.Parse(line, NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        return ids;
    }

    /// <summary>Removes the children, then this cgroup, moving out any process left inside first.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = _children.Count - 1; i >= 0; i--)
        {
            _children[i].Dispose();
        }

        foreach (var id in Processes())
        {
            File.WriteAllText(System.IO.Path.Combine(HierarchyRoot, ProcessesFile), id.ToString(CultureInfo.InvariantCulture));
        }

        System.IO.Directory.Delete(Directory);
    }

    private void Write(string file, long value) =>
        File.WriteAllText(System.IO.Path.Combine(Directory, file), value.ToString(CultureInfo.InvariantCulture));

    private static string UniqueName(string purpose) => $"{NamePrefix}{purpose}-{Guid.NewGuid().ToString("N")[..12]}";

    private static string? FindWhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "cgroups exist only on Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating a cgroup needs root, and this test runs as an ordinary user";
        }

        if (!File.Exists(System.IO.Path.Combine(HierarchyRoot, "cpu.cfs_quota_us")))
        {
            return File.Exists("/sys/fs/cgroup/cgroup.controllers")
                ? $"this machine has only cgroup v2 (no v1 cpu hierarchy at {HierarchyRoot}); these tests drive the v1 cpu controller"
                : $"no cgroup v1 cpu hierarchy is mounted at {HierarchyRoot}";
        }

        try
        {
            new CgroupV1Cpu("/" + UniqueName("probe")).Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create a cgroup in {HierarchyRoot} ({e.Message}): a container without a writable cgroupfs";
        }
    }
}
