using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GrainMQ.Runtime.Cgroups;

/// <summary>What decided the budget.</summary>
public enum CpuBudgetSource
{
    /// <summary>The tightest CFS quota on the cgroup path.</summary>
    Quota,
    /// <summary>The CPU request recovered from the weight (<see cref="WeightPolicy.Request"/>, no quota).</summary>
    Request,
    /// <summary>The number of CPUs in the effective cpuset.</summary>
    Cpuset,
    /// <summary>The machine's online CPUs: nothing tighter was found.</summary>
    Host,
    /// <summary><c>Scheduling:Cpus</c>.</summary>
    Override,
    /// <summary><c>Scheduling:CgroupAware=false</c> and no override: nothing is applied; the figures are .NET's own defaults.</summary>
    Unmanaged,
}

/// <summary>
/// The CPU budget and the sizes derived from it: a pure computation from a <see cref="CgroupSnapshot"/> and
/// <see cref="SchedulingOptions"/>. The rule (see docs/cgroups.md): budget = min(tightest quota, cpuset, host CPUs),
/// or the request under <see cref="WeightPolicy.Request"/> when there is no quota; workers = max(1, floor(budget)).
/// </summary>
/// <param name="Cpus">The budget in CPUs, fractional (a quota of 150000/100000 is 1.5).</param>
/// <param name="Source">What decided it.</param>
/// <param name="SchedulerWorkers">The grain scheduler's worker count.</param>
/// <param name="ThreadPool">The thread pool bounds to apply; null when unmanaged (the pool keeps .NET's defaults).</param>
/// <param name="IOQueueCount">Kestrel's socket transport IOQueueCount (fixed when Kestrel starts).</param>
/// <param name="Findings">What was read, for the start-up log line (e.g. "cgroup v1: quota 150000/100000 at /kubepods/pod1, cpuset 0-63, host 64 CPUs").</param>
public sealed record CpuBudget(
    double Cpus,
    CpuBudgetSource Source,
    int SchedulerWorkers,
    ThreadPoolLimits? ThreadPool,
    int IOQueueCount,
    string Findings)
{
    /// <summary>Kestrel's own ceiling on its default IOQueueCount (min(ProcessorCount, 16)); kept so a big budget sizes Kestrel as Kestrel would.</summary>
    public const int MaxIOQueueCount = 16;

    /// <summary>The .NET thread pool's ceiling on worker threads; no size computed here exceeds it.</summary>
    public const int MaxThreads = short.MaxValue;

    /// <summary>One v1 share unit: Kubernetes writes 1024 shares per requested CPU.</summary>
    public const double SharesPerCpu = 1024.0;

    /// <summary>False under <see cref="CpuBudgetSource.Unmanaged"/>: nothing should be applied.</summary>
    public bool Managed => Source != CpuBudgetSource.Unmanaged;

    /// <summary>
    /// Reads the <c>Scheduling</c> section and the real cgroups (under "/") and computes the budget. For the Silo to call
    /// before it builds Kestrel, which takes IOQueueCount only at start, and to seed RuntimeOptions.SchedulerWorkers.
    /// </summary>
    public static CpuBudget ComputeAtStartup(IConfiguration configuration) =>
        Compute(new CgroupReader().Read(), SchedulingOptions.FromConfiguration(configuration));

    /// <summary>Computes the budget and sizes from what was read.</summary>
    public static CpuBudget Compute(CgroupSnapshot snapshot, SchedulingOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var findings = Describe(snapshot, options);
        if (options.Cpus is { } cpus)
        {
            return Sized(cpus, CpuBudgetSource.Override, findings, options);
        }

        if (!options.CgroupAware)
        {
            // What .NET does on its own: RuntimeOptions.SchedulerWorkers and Kestrel both default from ProcessorCount.
            var processors = Environment.ProcessorCount;
            return new CpuBudget(processors, CpuBudgetSource.Unmanaged, processors, null, Math.Min(processors, MaxIOQueueCount), findings);
        }

        var budget = (double)snapshot.HostCpus;
        var source = CpuBudgetSource.Host;
        if (snapshot.CpuSet is { } set && set.Count < budget)
        {
            (budget, source) = (set.Count, CpuBudgetSource.Cpuset);
        }

        if (snapshot.Quota is { } quota)
        {
            if (quota.Cpus <= budget)
            {
                (budget, source) = (quota.Cpus, CpuBudgetSource.Quota);
            }
        }
        else if (options.WeightPolicy == WeightPolicy.Request && snapshot.Weight is { } weight)
        {
            var requested = weight.ToShares(options.WeightConversion) / SharesPerCpu;
            if (requested <= budget)
            {
                (budget, source) = (requested, CpuBudgetSource.Request);
            }
        }

        return Sized(budget, source, findings, options);
    }

    /// <summary>
    /// Workers = max(1, floor(budget)). A CFS quota is CPU time per period, not cores: 1.5 CPUs lets the cgroup run 150 ms
    /// in every 100 ms across all its threads, then freezes it. Two busy workers would spend the quota in 75 ms and sit
    /// throttled for 25 ms of every period, holding locks and in-flight turns; one worker runs unthrottled and the half
    /// CPU left over absorbs the GC, timers, Kestrel's I/O threads and the thread pool's short work items.
    /// </summary>
    public static int WorkersFor(double cpus) => (int)Math.Clamp(Math.Floor(cpus), 1, MaxThreads);

    private static CpuBudget Sized(double cpus, CpuBudgetSource source, string findings, SchedulingOptions options)
    {
        var workers = WorkersFor(cpus);
        var max = (int)Math.Clamp(Math.Max((long)workers * options.ThreadPoolMaxPerWorker, options.ThreadPoolMaxFloor), workers, MaxThreads);
        return new CpuBudget(
            cpus,
            source,
            workers,
            new ThreadPoolLimits(workers, max, workers, max),
            Math.Min(workers, MaxIOQueueCount),
            findings);
    }

    private static string Describe(CgroupSnapshot snapshot, SchedulingOptions options)
    {
        var host = string.Create(CultureInfo.InvariantCulture, $"host {snapshot.HostCpus} CPUs");
        if (snapshot.Mode == CgroupMode.None)
        {
            return "no cgroup, " + host;
        }

        var mode = snapshot.Mode switch
        {
            CgroupMode.V1 => "cgroup v1",
            CgroupMode.V2 => "cgroup v2",
            _ => "cgroup hybrid (cpu " + (snapshot.Cpu?.Version == CgroupVersion.V2 ? "v2" : "v1") + ")",
        };
        var quota = snapshot.Quota is { } q
            ? string.Create(CultureInfo.InvariantCulture, $"quota {q.QuotaMicroseconds}/{q.PeriodMicroseconds} at {q.CgroupPath}")
            : "no quota";
        var cpuset = snapshot.CpuSet is { } c ? "cpuset " + c.List : "no cpuset";
        var weight = snapshot.Weight is { } w
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{(w.Version == CgroupVersion.V1 ? "shares" : "weight")} {w.Value} (request {w.ToShares(options.WeightConversion) / SharesPerCpu:0.###} CPU)")
            : "no weight";
        var memory = snapshot.MemoryLimit is { } m
            ? string.Create(CultureInfo.InvariantCulture, $"memory {m.Bytes / (1024.0 * 1024.0):0.#} MiB")
            : "no memory limit";
        return $"{mode}: {quota}, {cpuset}, {weight}, {memory}, {host}";
    }
}
