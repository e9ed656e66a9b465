using System.Data.Common;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Reminders;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Grains.Sessions;

/// <summary>
/// Wakes disconnected sessions when their expiry is due (what Orleans calls reminders). A session grain's own timer
/// cannot do it: a disconnected session hibernates after <c>Session:IdleTimeout</c>, and its timers die with the
/// activation. Keeping the grain in memory for the whole expiry interval would defeat hibernation, so this per-silo
/// service remembers (client id, due time) and, when the time comes, Tells the session <see cref="ExpireSession"/>,
/// which activates it to check its expiry and end itself.
/// <para>
/// Single node (no <see cref="IReminderTable"/>): every reminder is kept here, in memory, until it fires; a restart
/// forgets them with everything else. Cluster: <see cref="RegisterAsync"/> first stores the reminder in the table
/// (the session writes its state after that, so a crash cannot leave a disconnected session without its reminder),
/// and only reminders due within the look-ahead (<c>Cluster:ReminderPollInterval</c>) are kept here; the others come
/// back through <see cref="OnDueSoon"/> when the poll of the silo that owns the session finds them due soon, which is
/// also how the reminders of a crashed silo reach the new owners. Stored reminders are deleted by the session when
/// one fires (<see cref="DeleteAsync"/>), not when its client reconnects: the connect path pays nothing.
/// </para>
/// <para>
/// One timer serves every reminder kept here: it is set for the earliest due time. Ownership: <c>_dueByClient</c>,
/// <c>_byDue</c> and the timer's schedule change under <c>_lock</c> (session turns on any worker thread, the poll and
/// the timer callback take it; nothing else is locked inside, and grains are told only after it is released).
/// </para>
/// </summary>
public sealed partial class SessionExpiryReminders : IReminderReceiver, IDisposable
{
    /// <summary>The timer never waits longer than this at once (System.Threading timers cannot wait beyond ~49 days).</summary>
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _dueByClient = new(StringComparer.Ordinal);
    private readonly SortedSet<(long DueAtUnixMs, string ClientId)> _byDue = new(DueOrder.Instance);
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly IReminderTable? _table;
    private readonly long _lookAheadMs;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private long _timerDueAtUnixMs = long.MaxValue;

    /// <summary>
    /// Creates the service; its timer starts with the first reminder. With a <paramref name="table"/> (cluster) only
    /// reminders due within <paramref name="lookAhead"/> are kept in memory; without one, all are.
    /// </summary>
    public SessionExpiryReminders(IGrainFactory grains, TimeProvider time, IReminderTable? table, TimeSpan lookAhead, ILogger<SessionExpiryReminders> logger)
    {
        _grains = grains;
        _time = time;
        _table = table;
        _lookAheadMs = table is null ? long.MaxValue : (long)lookAhead.TotalMilliseconds;
        _logger = logger;
        _timer = time.CreateTimer(static state => ((SessionExpiryReminders)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Reminders waiting in memory (for diagnostics and tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _dueByClient.Count;
            }
        }
    }

    /// <inheritdoc />
    public string GrainType => GrainTypes.Session;

    /// <summary>
    /// Registers the reminder of a session that just disconnected (replacing its earlier one): stored in the table when
    /// there is one (completes once it is durable), and kept in memory when it is due soon. When the table cannot be
    /// written the reminder is kept in memory whatever its due time (the session still expires while this silo lives)
    /// and a warning is logged.
    /// </summary>
    public async ValueTask RegisterAsync(string clientId, long dueAtUnixMs)
    {
        if (_table is not null)
        {
            try
            {
                await _table.UpsertAsync(new GrainId(GrainTypes.Session, clientId), dueAtUnixMs, CancellationToken.None);
                LogStored(_logger, clientId, dueAtUnixMs);
            }
            catch (DbException ex)
            {
                LogStoreFailed(_logger, ex, clientId);
                Keep(clientId, dueAtUnixMs);
                return;
            }
        }

        Schedule(clientId, dueAtUnixMs);
    }

    /// <summary>
    /// Keeps the reminder of <paramref name="clientId"/> in memory when it is due within the look-ahead (always on a
    /// single node), replacing its earlier one; it is not stored. For a session that re-activates disconnected: its
    /// stored reminder, if any, already has this due time.
    /// </summary>
    public void Schedule(string clientId, long dueAtUnixMs)
    {
        if (dueAtUnixMs - _time.GetUtcNow().ToUnixTimeMilliseconds() <= _lookAheadMs)
        {
            Keep(clientId, dueAtUnixMs);
        }
        else
        {
            Cancel(clientId);
        }
    }

    /// <summary>Forgets the in-memory reminder of <paramref name="clientId"/> (its client reconnected, or its session ended); a stored one stays.</summary>
    public void Cancel(string clientId)
    {
        lock (_lock)
        {
            RemoveLocked(clientId);
        }
    }

    /// <summary>
    /// Forgets the reminder of <paramref name="clientId"/> in memory and in the table (the session's reminder fired and
    /// it has nothing left to expire). A failed delete is logged: the stored reminder fires again, which is harmless.
    /// </summary>
    public async ValueTask DeleteAsync(string clientId)
    {
        Cancel(clientId);
        if (_table is null)
        {
            return;
        }

        try
        {
            await _table.DeleteAsync(new GrainId(GrainTypes.Session, clientId), CancellationToken.None);
            LogDeleted(_logger, clientId);
        }
        catch (DbException ex)
        {
            LogDeleteFailed(_logger, ex, clientId);
        }
    }

    /// <inheritdoc />
    public void OnDueSoon(ReminderEntry reminder) => Keep(reminder.Grain.Key, reminder.DueAtUnixMs);

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Keep(string clientId, long dueAtUnixMs)
    {
        lock (_lock)
        {
            RemoveLocked(clientId);
            _dueByClient[clientId] = dueAtUnixMs;
            _byDue.Add((dueAtUnixMs, clientId));
            if (dueAtUnixMs < _timerDueAtUnixMs)
            {
                ArmLocked(dueAtUnixMs);
            }
        }
    }

    private void OnTimer()
    {
        List<string>? due = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            while (_byDue.Count > 0 && _byDue.Min.DueAtUnixMs <= now)
            {
                var (_, clientId) = _byDue.Min;
                _byDue.Remove(_byDue.Min);
                _dueByClient.Remove(clientId);
                (due ??= []).Add(clientId);
            }

            _timerDueAtUnixMs = long.MaxValue;
            if (_byDue.Count > 0)
            {
                ArmLocked(_byDue.Min.DueAtUnixMs);
            }
        }

        if (due is null)
        {
            return;
        }

        foreach (var clientId in due)
        {
            _grains.GetGrain(GrainTypes.Session, clientId).Tell(ExpireSession.Instance);
        }
    }

    private void RemoveLocked(string clientId)
    {
        if (_dueByClient.Remove(clientId, out var previous))
        {
            _byDue.Remove((previous, clientId));
        }
    }

    private void ArmLocked(long dueAtUnixMs)
    {
        _timerDueAtUnixMs = dueAtUnixMs;
        var wait = TimeSpan.FromMilliseconds(Math.Max(0, dueAtUnixMs - _time.GetUtcNow().ToUnixTimeMilliseconds()));
        _timer.Change(wait < MaxTimerDue ? wait : MaxTimerDue, Timeout.InfiniteTimeSpan);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Stored the expiry reminder of session {ClientId}, due at {DueAtUnixMs}")]
    private static partial void LogStored(ILogger logger, string clientId, long dueAtUnixMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Deleted the stored expiry reminder of session {ClientId}")]
    private static partial void LogDeleted(ILogger logger, string clientId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not store the expiry reminder of session {ClientId}; it is kept in memory and is lost if this silo stops")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Could not delete the stored expiry reminder of session {ClientId}; it fires again")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string clientId);

    /// <summary>Earliest first; the client id breaks ties, so two sessions due at the same millisecond are both kept.</summary>
    private sealed class DueOrder : IComparer<(long DueAtUnixMs, string ClientId)>
    {
        public static readonly DueOrder Instance = new();

        public int Compare((long DueAtUnixMs, string ClientId) x, (long DueAtUnixMs, string ClientId) y)
        {
            var byDue = x.DueAtUnixMs.CompareTo(y.DueAtUnixMs);
            return byDue != 0 ? byDue : string.CompareOrdinal(x.ClientId, y.ClientId);
        }
    }
}
