using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cgroups;

internal static partial class CpuBudgetLog
{
    [LoggerMessage(EventId = 1, EventName = "CpuBudgetApplied", Level = LogLevel.Information,
        Message = "{Findings}, .NET ProcessorCount {ProcessorCount} → budget {BudgetCpus} CPU ({BudgetSource}) → scheduler workers {SchedulerWorkers}, thread pool {MinWorkerThreads}..{MaxWorkerThreads}, I/O threads {MinIoThreads}..{MaxIoThreads}, Kestrel IOQueueCount {IOQueueCount}")]
    public static partial void InfoCpuBudgetApplied(
        ILogger logger, string findings, int processorCount, double budgetCpus, CpuBudgetSource budgetSource, int schedulerWorkers,
        int minWorkerThreads, int maxWorkerThreads, int minIoThreads, int maxIoThreads, int ioQueueCount);

    [LoggerMessage(EventId = 2, EventName = "CpuBudgetChanged", Level = LogLevel.Information,
        Message = "CPU budget changed from {PreviousCpus} to {BudgetCpus} CPU ({BudgetSource}): {Findings} → scheduler workers {SchedulerWorkers}, thread pool {MinWorkerThreads}..{MaxWorkerThreads}, I/O threads {MinIoThreads}..{MaxIoThreads} (Kestrel IOQueueCount keeps its start-up value)")]
    public static partial void InfoCpuBudgetChanged(
        ILogger logger, double previousCpus, double budgetCpus, CpuBudgetSource budgetSource, string findings, int schedulerWorkers,
        int minWorkerThreads, int maxWorkerThreads, int minIoThreads, int maxIoThreads);

    [LoggerMessage(EventId = 3, EventName = "CpuSizingOff", Level = LogLevel.Information,
        Message = "{Findings}, .NET ProcessorCount {ProcessorCount} → cgroup sizing off (Scheduling:CgroupAware=false): budget {BudgetCpus} CPU is .NET's own view; thread pool and scheduler keep their defaults")]
    public static partial void InfoCpuSizingOff(ILogger logger, string findings, int processorCount, double budgetCpus);

    [LoggerMessage(EventId = 4, EventName = "ThreadPoolBoundsRefused", Level = LogLevel.Warning,
        Message = "The thread pool did not take the bounds {MinWorkerThreads}..{MaxWorkerThreads} (I/O {MinIoThreads}..{MaxIoThreads}); it reports {AppliedMinWorkerThreads}..{AppliedMaxWorkerThreads} (I/O {AppliedMinIoThreads}..{AppliedMaxIoThreads})")]
    public static partial void WarnThreadPoolBoundsRefused(
        ILogger logger, int minWorkerThreads, int maxWorkerThreads, int minIoThreads, int maxIoThreads,
        int appliedMinWorkerThreads, int appliedMaxWorkerThreads, int appliedMinIoThreads, int appliedMaxIoThreads);
}
