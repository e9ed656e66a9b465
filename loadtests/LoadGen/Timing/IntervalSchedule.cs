namespace GrainMQ.LoadGen.Timing;

/// <summary>
/// The send times of one client that publishes every <see cref="Interval"/>: the n-th message is due at
/// start + n × interval, on a monotonic clock in any unit (the runner uses Stopwatch ticks). A client that
/// falls behind sends up to a burst of overdue messages at once; anything overdue beyond that burst is skipped
/// (and reported as dropped) and the schedule restarts from now, so a stall never turns into an unbounded flood.
/// </summary>
public struct IntervalSchedule
{
    private long _next;

    public IntervalSchedule(long start, long interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, 0);
        _next = start;
        Interval = interval;
    }

    public readonly long Interval { get; }

    /// <summary>When the next message is due.</summary>
    public readonly long NextDue => _next;

    /// <summary>
    /// How many messages are due at <paramref name="now"/>, at most <paramref name="maxBurst"/>, and moves the
    /// schedule past them. <paramref name="skipped"/> is the count of overdue messages beyond the burst.
    /// </summary>
    public int TakeDue(long now, int maxBurst, out long skipped)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBurst, 1);
        skipped = 0;
        if (now < _next)
        {
            return 0;
        }

        var due = ((now - _next) / Interval) + 1;
        if (due <= maxBurst)
        {
            _next += due * Interval;
            return (int)due;
        }

        skipped = due - maxBurst;
        _next = now + Interval;
        return maxBurst;
    }
}
