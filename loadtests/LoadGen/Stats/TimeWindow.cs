namespace GrainMQ.LoadGen.Stats;

/// <summary>
/// When the first and the last event of one kind happened, in Unix milliseconds (a wall clock, so windows from
/// several worker processes can be merged). Both are 0 when nothing happened.
/// </summary>
public sealed record TimeWindow(long FirstUnixMs, long LastUnixMs)
{
    public static TimeWindow None { get; } = new(0, 0);

    public double Seconds => FirstUnixMs == 0 ? 0 : (LastUnixMs - FirstUnixMs) / 1000.0;

    /// <summary>Events per second over the window (a window under a millisecond counts as one millisecond).</summary>
    public double Rate(long events) => events == 0 ? 0 : events / Math.Max(0.001, Seconds);

    public TimeWindow Union(TimeWindow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.FirstUnixMs == 0)
        {
            return this;
        }

        if (FirstUnixMs == 0)
        {
            return other;
        }

        return new TimeWindow(Math.Min(FirstUnixMs, other.FirstUnixMs), Math.Max(LastUnixMs, other.LastUnixMs));
    }
}
