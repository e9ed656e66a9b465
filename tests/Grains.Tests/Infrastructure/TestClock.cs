namespace GrainMQ.Grains.Tests.Infrastructure;

/// <summary>
/// Wall-clock time that a test can move forward (message expiry, lazily checked session expiry). Timers and
/// timestamps stay real, so the runtime's scheduling is untouched.
/// </summary>
internal sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
