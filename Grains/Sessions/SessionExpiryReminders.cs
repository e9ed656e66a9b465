using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Sessions;

/// <summary>
/// Wakes disconnected sessions when their expiry is due (what Orleans calls reminders). A session grain's own timer
/// cannot do it: a disconnected session hibernates after <c>Session:IdleTimeout</c>, and its timers die with the
/// activation. Keeping the grain in memory for the whole expiry interval would defeat hibernation, so this per-silo
/// service remembers (client id, due time) and, when the time comes, Tells the session <see cref="ExpireSession"/>,
/// which activates it to check its expiry and end itself.
/// <para>
/// The reminders are in memory only: a silo that restarts forgets them, and a session that expired meanwhile ends
/// when it is next activated (by a CONNECT or a delivery). The cluster issue must persist them (Orleans keeps its
/// reminders in a table) so that expiry also happens on another silo after a crash.
/// </para>
/// <para>
/// One timer serves every reminder: it is set for the earliest due time. Ownership: <c>_dueByClient</c>,
/// <c>_byDue</c> and the timer's schedule change under <c>_lock</c> (session turns on any worker thread and the timer
/// callback take it; nothing else is locked inside, and grains are told only after it is released).
/// </para>
/// </summary>
public sealed class SessionExpiryReminders : IDisposable
{
    /// <summary>The timer never waits longer than this at once (System.Threading timers cannot wait beyond ~49 days).</summary>
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _dueByClient = new(StringComparer.Ordinal);
    private readonly SortedSet<(long DueAtUnixMs, string ClientId)> _byDue = new(DueOrder.Instance);
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private long _timerDueAtUnixMs = long.MaxValue;

    /// <summary>Creates the service; its timer starts with the first reminder.</summary>
    public SessionExpiryReminders(IGrainFactory grains, TimeProvider time)
    {
        _grains = grains;
        _time = time;
        _timer = time.CreateTimer(static state => ((SessionExpiryReminders)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Reminders waiting (for diagnostics and tests).</summary>
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

    /// <summary>Tells the session of <paramref name="clientId"/> <see cref="ExpireSession"/> at <paramref name="dueAtUnixMs"/>, replacing its earlier reminder.</summary>
    public void Schedule(string clientId, long dueAtUnixMs)
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

    /// <summary>Forgets the reminder of <paramref name="clientId"/> (its client reconnected, or its session ended).</summary>
    public void Cancel(string clientId)
    {
        lock (_lock)
        {
            RemoveLocked(clientId);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

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
