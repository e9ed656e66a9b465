namespace GrainMQ.LoadGen.Timing;

/// <summary>
/// When each of one process's clients starts connecting. The command line gives the pace of the whole run
/// (<c>-i</c> milliseconds between connects, or <c>-R</c> connects per second); with N worker processes each one
/// connects its share N times more slowly, so together they keep the asked pace.
/// </summary>
public sealed class ConnectPacing
{
    private readonly double _intervalTicks;

    private ConnectPacing(double intervalTicks) => _intervalTicks = intervalTicks;

    /// <summary>Time between two connects of this process.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks((long)_intervalTicks);

    /// <param name="intervalMs">Milliseconds between connects of the whole run (<c>-i</c>); used when no rate is given.</param>
    /// <param name="ratePerSecond">Connects per second of the whole run (<c>-R</c>); wins over the interval when above 0.</param>
    /// <param name="workerCount">Processes sharing the run.</param>
    public static ConnectPacing For(double intervalMs, double ratePerSecond, int workerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(intervalMs);
        ArgumentOutOfRangeException.ThrowIfNegative(ratePerSecond);
        var runTicks = ratePerSecond > 0 ? TimeSpan.TicksPerSecond / ratePerSecond : intervalMs * TimeSpan.TicksPerMillisecond;
        return new ConnectPacing(runTicks * workerCount);
    }

    /// <summary>When client <paramref name="index"/> (0-based within this process) starts, from the run's start.</summary>
    public TimeSpan StartOf(int index) => TimeSpan.FromTicks((long)(index * _intervalTicks));

    /// <summary>How many of <paramref name="clientCount"/> clients should have started <paramref name="elapsed"/> after the run's start.</summary>
    public int DueBy(TimeSpan elapsed, int clientCount)
    {
        if (elapsed < TimeSpan.Zero || clientCount == 0)
        {
            return 0;
        }

        if (_intervalTicks <= 0)
        {
            return clientCount;
        }

        var due = Math.Floor(elapsed.Ticks / _intervalTicks) + 1;
        return due >= clientCount ? clientCount : (int)due;
    }
}
