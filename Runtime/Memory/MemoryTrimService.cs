using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime.Memory;

/// <summary>
/// Gives memory back to the operating system after hibernation. Every <see cref="MemoryTrimOptions.TrimCheckInterval"/>
/// it samples the runtime's deactivation count and the process's allocated bytes; when
/// <see cref="MemoryTrimPolicy.ShouldTrim"/> says so (many deactivations, a quiet process, not too soon after the last
/// trim) it runs one blocking, compacting, aggressive full collection, which also decommits the free parts of the heap.
/// A busy process is left to the GC's own schedule: it collects anyway, and a blocking full collection would pause it.
/// </summary>
public sealed class MemoryTrimService : BackgroundService
{
    private readonly MemoryTrimOptions _options;
    private readonly IRuntimeStatistics _statistics;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ILogger _logger;
    private long _trims;

    /// <summary>Created by DI (see <see cref="MemoryTrimServiceCollectionExtensions.AddMemoryTrim"/>).</summary>
    public MemoryTrimService(IOptions<MemoryTrimOptions> options, IRuntimeStatistics statistics, ILogger<MemoryTrimService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(logger);
        options.Value.Validate();
        _options = options.Value;
        _statistics = statistics;
        _logger = logger;
    }

    /// <summary>How many trims ran since start.</summary>
    public long Trims => Interlocked.Read(ref _trims);

    /// <summary>Raised on the trimmer's thread after each trim, with the number of trims so far.</summary>
    public event Action<long>? Trimmed;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.TrimAfterHibernation)
        {
            return;
        }

        var previous = Sample();

        // As if a trim had just become allowed again: the first one need not wait MinTrimInterval after start.
        var lastTrim = previous with { Timestamp = previous.Timestamp - _options.MinTrimInterval };
        using var timer = new PeriodicTimer(_options.TrimCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var current = Sample();
            if (MemoryTrimPolicy.ShouldTrim(_options, lastTrim, previous, current))
            {
                Trim(current.Deactivations - lastTrim.Deactivations);
                current = Sample();
                lastTrim = current;
            }

            previous = current;
        }
    }

    private MemorySample Sample()
    {
        long deactivations = 0;
        foreach (var type in _statistics.Snapshot())
        {
            deactivations += type.Deactivations;
        }

        return new MemorySample(deactivations, GC.GetTotalAllocatedBytes(precise: false), Stopwatch.GetElapsedTime(_started));
    }

    private void Trim(long deactivations)
    {
        const long Mb = 1024 * 1024;
        var workingSetBefore = Environment.WorkingSet;
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = Stopwatch.GetElapsedTime(started);
        MemoryTrimLog.InfoTrimmed(
            _logger, deactivations, workingSetBefore / Mb, Environment.WorkingSet / Mb,
            committedBefore / Mb, GC.GetGCMemoryInfo().TotalCommittedBytes / Mb, (long)elapsed.TotalMilliseconds);
        Trimmed?.Invoke(Interlocked.Increment(ref _trims));
    }
}
