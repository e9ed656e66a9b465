using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime.Cgroups;

/// <summary>
/// Applies the CPU budget at start (thread pool bounds, grain scheduler workers), logs one line saying what was found and
/// what was set, then re-reads the cgroup every <see cref="SchedulingOptions.PollInterval"/>: a changed budget (an in-place
/// pod resize) is applied again and announced through <see cref="Changed"/>; every poll refreshes the throttling counters
/// in <see cref="Current"/>. Kestrel's IOQueueCount cannot change after Kestrel starts: see <see cref="CpuBudget.ComputeAtStartup"/>.
/// Single writer: only StartAsync and then the poll loop replace <see cref="Current"/>.
/// </summary>
public sealed class CpuBudgetService : BackgroundService, ICpuBudgetMonitor
{
    private readonly SchedulingOptions _options;
    private readonly CgroupReader _reader;
    private readonly IGrainScheduler _scheduler;
    private readonly IThreadPoolControl _threadPool;
    private readonly ILogger _logger;
    private CpuBudgetState _current;

    /// <summary>Created by DI (see <see cref="CpuBudgetServiceCollectionExtensions.AddCpuBudget"/>).</summary>
    public CpuBudgetService(
        IOptions<SchedulingOptions> options, CgroupReader reader, IGrainScheduler scheduler, ILogger<CpuBudgetService> logger)
        : this(options.Value, reader, scheduler, ProcessThreadPool.Instance, logger)
    {
    }

    internal CpuBudgetService(
        SchedulingOptions options, CgroupReader reader, IGrainScheduler scheduler, IThreadPoolControl threadPool, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _reader = reader;
        _scheduler = scheduler;
        _threadPool = threadPool;
        _logger = logger;

        // Before start: what would be applied, next to what is in force now.
        var snapshot = reader.Read();
        _current = new CpuBudgetState(
            CpuBudget.Compute(snapshot, options), snapshot, threadPool.Read(), scheduler.WorkerCount, DateTimeOffset.UtcNow);
    }

    /// <inheritdoc />
    public CpuBudgetState Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public event Action<CpuBudgetState>? Changed;

    /// <summary>Applies the budget before returning, so it is in force before later hosted services start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var snapshot = _reader.Read();
        var budget = CpuBudget.Compute(snapshot, _options);
        var state = Apply(budget, snapshot);
        if (budget.Managed)
        {
            CpuBudgetLog.InfoCpuBudgetApplied(
                _logger, budget.Findings, Environment.ProcessorCount, Math.Round(budget.Cpus, 3), budget.Source, state.SchedulerWorkers,
                state.ThreadPool.MinWorkerThreads, state.ThreadPool.MaxWorkerThreads,
                state.ThreadPool.MinIoThreads, state.ThreadPool.MaxIoThreads, budget.IOQueueCount);
        }
        else
        {
            CpuBudgetLog.InfoCpuSizingOff(_logger, budget.Findings, Environment.ProcessorCount, budget.Cpus);
        }

        Volatile.Write(ref _current, state);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Poll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    /// <summary>One poll: re-read, refresh <see cref="Current"/>, and apply and announce a changed budget. Called by the loop (and tests).</summary>
    internal void Poll()
    {
        var previous = Current;
        var snapshot = _reader.Read();
        var budget = CpuBudget.Compute(snapshot, _options);
        if (!budget.Managed || budget == previous.Budget)
        {
            Volatile.Write(ref _current, previous with { Cgroup = snapshot, ReadAt = DateTimeOffset.UtcNow });
            return;
        }

        var state = Apply(budget, snapshot);
        CpuBudgetLog.InfoCpuBudgetChanged(
            _logger, Math.Round(previous.Budget.Cpus, 3), Math.Round(budget.Cpus, 3), budget.Source, budget.Findings,
            state.SchedulerWorkers, state.ThreadPool.MinWorkerThreads, state.ThreadPool.MaxWorkerThreads,
            state.ThreadPool.MinIoThreads, state.ThreadPool.MaxIoThreads);
        Volatile.Write(ref _current, state);
        Changed?.Invoke(state);
    }

    private CpuBudgetState Apply(CpuBudget budget, CgroupSnapshot snapshot)
    {
        var applied = _threadPool.Read();
        if (budget.ThreadPool is { } limits)
        {
            applied = _threadPool.Apply(limits);
            if (applied != limits)
            {
                CpuBudgetLog.WarnThreadPoolBoundsRefused(
                    _logger, limits.MinWorkerThreads, limits.MaxWorkerThreads, limits.MinIoThreads, limits.MaxIoThreads,
                    applied.MinWorkerThreads, applied.MaxWorkerThreads, applied.MinIoThreads, applied.MaxIoThreads);
            }
        }

        if (budget.Managed && _scheduler.WorkerCount != budget.SchedulerWorkers)
        {
            _scheduler.SetWorkerCount(budget.SchedulerWorkers);
        }

        return new CpuBudgetState(budget, snapshot, applied, _scheduler.WorkerCount, DateTimeOffset.UtcNow);
    }
}
