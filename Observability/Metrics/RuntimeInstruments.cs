using System.Diagnostics.Metrics;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cgroups;
using GrainMQ.Runtime.Diagnostics;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// The runtime's observable instruments, on the same <see cref="RuntimeMeter.Name"/> meter as the runtime's own
/// grain-call instruments (the meter factory hands out one meter per name): grain activations per type, the
/// scheduler, and the CPU budget with the cgroup's limits and throttling counters when a budget monitor is registered.
/// </summary>
public sealed class RuntimeInstruments
{
    private const string GrainTypeTag = RuntimeMeter.GrainTypeTag;

    /// <summary>Creates the instruments.</summary>
    public RuntimeInstruments(IMeterFactory meterFactory, IRuntimeStatistics statistics, IGrainScheduler scheduler, ICpuBudgetMonitor? budget = null)
    {
        var meter = meterFactory.Create(RuntimeMeter.Name);
        meter.CreateObservableCounter("grainmq.grain.activations", () => PerType(statistics, static s => s.Activations), "{activation}", "Grain activations, by grain type.");
        meter.CreateObservableCounter("grainmq.grain.deactivations", () => PerType(statistics, static s => s.Deactivations), "{activation}", "Grain deactivations, by grain type.");
        meter.CreateObservableGauge("grainmq.grain.active", () => PerType(statistics, static s => s.Live), "{activation}", "Grain activations in memory, by grain type.");
        meter.CreateObservableCounter("grainmq.grain.messages", () => PerType(statistics, static s => s.MessagesProcessed), "{message}", "Messages handled by grains, by grain type.");
        meter.CreateObservableGauge("grainmq.scheduler.queue.length", () => scheduler.QueuedActivations, "{activation}", "Runnable activations waiting for a scheduler worker.");
        meter.CreateObservableGauge("grainmq.scheduler.workers", () => scheduler.WorkerCount, "{thread}", "Scheduler worker threads.");
        if (budget is null)
        {
            return;
        }

        meter.CreateObservableGauge("grainmq.cpu.budget", () => Budget(budget), "{cpu}", "The CPU budget the broker sized itself to, by what decided it.");
        meter.CreateObservableGauge("grainmq.thread_pool.limit", () => ThreadPool(budget), "{thread}", "Thread pool bounds as applied, by bound (min, max) and kind (worker, io).");
        meter.CreateObservableGauge("grainmq.cgroup.cpu.quota", () => Quota(budget), "{cpu}", "The tightest CFS quota on the cgroup path, in CPUs.");
        meter.CreateObservableGauge("grainmq.cgroup.memory.limit", () => MemoryLimit(budget), "By", "The tightest cgroup memory limit.");
        meter.CreateObservableCounter("grainmq.cgroup.cpu.periods", () => Throttling(budget, static t => t.Periods), "{period}", "CFS enforcement periods elapsed (cpu.stat nr_periods).");
        meter.CreateObservableCounter("grainmq.cgroup.cpu.throttled.periods", () => Throttling(budget, static t => t.ThrottledPeriods), "{period}", "CFS periods in which the cgroup ran out of quota (nr_throttled).");
        meter.CreateObservableCounter("grainmq.cgroup.cpu.throttled.time", () => ThrottledSeconds(budget), "s", "Time the cgroup was throttled (throttled_usec).");
    }

    private static IEnumerable<Measurement<long>> PerType(IRuntimeStatistics statistics, Func<GrainTypeStatistics, long> read)
    {
        foreach (var type in statistics.Snapshot())
        {
            yield return new Measurement<long>(read(type), new KeyValuePair<string, object?>(GrainTypeTag, type.GrainType));
        }
    }

    private static Measurement<double> Budget(ICpuBudgetMonitor budget)
    {
        var current = budget.Current.Budget;
        return new Measurement<double>(current.Cpus, new KeyValuePair<string, object?>("source", LabelValues.SnakeCase(current.Source.ToString())));
    }

    private static IEnumerable<Measurement<long>> ThreadPool(ICpuBudgetMonitor budget)
    {
        var pool = budget.Current.ThreadPool;
        yield return Limit(pool.MinWorkerThreads, "min", "worker");
        yield return Limit(pool.MaxWorkerThreads, "max", "worker");
        yield return Limit(pool.MinIoThreads, "min", "io");
        yield return Limit(pool.MaxIoThreads, "max", "io");
    }

    private static Measurement<long> Limit(int value, string bound, string kind) =>
        new(value, new KeyValuePair<string, object?>("bound", bound), new KeyValuePair<string, object?>("kind", kind));

    private static IEnumerable<Measurement<double>> Quota(ICpuBudgetMonitor budget)
    {
        if (budget.Current.Cgroup.Quota is { } quota)
        {
            yield return new Measurement<double>(quota.Cpus);
        }
    }

    private static IEnumerable<Measurement<long>> MemoryLimit(ICpuBudgetMonitor budget)
    {
        if (budget.Current.Cgroup.MemoryLimit is { } limit)
        {
            yield return new Measurement<long>(limit.Bytes);
        }
    }

    private static IEnumerable<Measurement<long>> Throttling(ICpuBudgetMonitor budget, Func<CpuThrottling, long> read)
    {
        if (budget.Current.Throttling is { } throttling)
        {
            yield return new Measurement<long>(read(throttling));
        }
    }

    private static IEnumerable<Measurement<double>> ThrottledSeconds(ICpuBudgetMonitor budget)
    {
        if (budget.Current.Throttling is { } throttling)
        {
            yield return new Measurement<double>(throttling.ThrottledTime.TotalSeconds);
        }
    }
}
