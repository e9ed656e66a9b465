using GrainMQ.Runtime.Reminders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Fires the stored reminders of the grains this silo owns. Every <see cref="ClusterOptions.ReminderPollInterval"/> it
/// reads, from the <see cref="IReminderTable"/>, at most <see cref="ClusterOptions.ReminderBatchSize"/> reminders that
/// are due before its next read and whose grain hash lies in this silo's share of the current ring, and hands each to
/// the <see cref="IReminderReceiver"/> of its grain type, which wakes the grain at the due time. Every silo owns a
/// disjoint share of the ring, so each reminder is read by one live silo; when a silo dies, its share (and so its
/// reminders) belongs to the survivors at their next poll after they learn of the death. A silo that is not active
/// (joining, leaving) owns nothing and reads nothing. Registered after <see cref="ClusterSiloService"/>, so it starts
/// once the silo is active and stops before it leaves. Without a registered table it does nothing (there is nothing
/// to read).
/// </summary>
internal sealed partial class ReminderPollService : IHostedService, IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly ClusterMessageCenter _center;
    private readonly IReminderTable? _table;
    private readonly Dictionary<string, IReminderReceiver> _receivers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public ReminderPollService(
        ClusterOptions options,
        ClusterMessageCenter center,
        IReminderTable? table,
        IEnumerable<IReminderReceiver> receivers,
        TimeProvider time,
        ILogger<ReminderPollService> logger)
    {
        _options = options;
        _center = center;
        _table = table;
        foreach (var receiver in receivers)
        {
            _receivers[receiver.GrainType] = receiver;
        }

        _time = time;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_table is not null && _receivers.Count > 0)
        {
            _loop = LoopAsync(_table);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _loop;
        _stopping.Dispose();
    }

    /// <summary>Reads this silo's due reminders once and hands them to their receivers; returns how many it read.</summary>
    internal async Task<int> PollOnceAsync(IReminderTable table, CancellationToken cancellationToken)
    {
        var self = _center.Identity.Address;
        var ring = _center.View.Ring;
        if (!ring.Contains(self))
        {
            return 0;
        }

        var dueBefore = _time.GetUtcNow().Add(_options.ReminderPollInterval).ToUnixTimeMilliseconds();
        var due = await table.ReadDueAsync(dueBefore, ring.OwnedRanges(self), _options.ReminderBatchSize, cancellationToken);
        foreach (var reminder in due)
        {
            if (_receivers.TryGetValue(reminder.Grain.Type, out var receiver))
            {
                receiver.OnDueSoon(reminder);
            }
            else
            {
                LogNoReceiver(_logger, reminder.Grain);
            }
        }

        return due.Count;
    }

    private async Task LoopAsync(IReminderTable table)
    {
        using var timer = new PeriodicTimer(_options.ReminderPollInterval, _time);
        try
        {
            do
            {
                try
                {
                    var read = await PollOnceAsync(table, _stopping.Token);
                    if (read == _options.ReminderBatchSize)
                    {
                        LogBatchFull(_logger, read, _options.ReminderPollInterval);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The table is unreachable (or failed): the next poll tries again; nothing is lost, rows stay.
                    LogPollFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning, Message = "Reading due reminders failed; the next poll tries again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 161, Level = LogLevel.Information, Message = "A reminder poll read a full batch of {Count}; the rest waits for the next poll in {Interval}")]
    private static partial void LogBatchFull(ILogger logger, int count, TimeSpan interval);

    [LoggerMessage(EventId = 162, Level = LogLevel.Warning, Message = "A stored reminder of {Grain} has no receiver for its grain type; ignored")]
    private static partial void LogNoReceiver(ILogger logger, GrainId grain);
}
