namespace GrainMQ.LoadGen.Stats;

/// <summary>
/// The clock shared by every process on the machine (and by NTP-synchronised machines): the system's UTC wall
/// clock, read through <see cref="DateTime.UtcNow"/> (CLOCK_REALTIME on Linux, 100 ns ticks). Stopwatch ticks are
/// not used for anything that crosses a process boundary.
/// </summary>
public static class WallClock
{
    /// <summary>Now, in 100 ns ticks since 0001-01-01 UTC: the timestamp carried in payloads.</summary>
    public static long Ticks() => DateTime.UtcNow.Ticks;

    public static long UnixMilliseconds() => ToUnixMilliseconds(DateTime.UtcNow.Ticks);

    public static long ToUnixMilliseconds(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
