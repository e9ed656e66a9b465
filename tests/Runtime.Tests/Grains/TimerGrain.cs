namespace GrainMQ.Runtime.Tests;

/// <summary>A 1 ms timer whose callback awaits; pings arrive meanwhile. Counts turns that overlapped another turn.</summary>
public sealed class TimerGrain : Grain
{
    public const string Type = "timer";
    public const int TicksWanted = 20;

    private readonly Probe _probe;
    private int _inTurn;
    private int _overlaps;
    private int _ticks;

    public TimerGrain(Probe probe) => _probe = probe;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RegisterTimer(OnTickAsync, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        return Task.CompletedTask;
    }

    public override ValueTask<object?> ReceiveAsync(object message)
    {
        switch (message)
        {
            case Ping:
                Enter();
                Thread.SpinWait(100);
                Exit();
                return default;
            case GetTimerReport:
                return new ValueTask<object?>(new TimerReport(_ticks, _overlaps));
            default:
                throw new ArgumentException($"Unexpected message {message}.", nameof(message));
        }
    }

    private async Task OnTickAsync()
    {
        Enter();
        await Task.Yield();
        if (++_ticks == TicksWanted)
        {
            _probe.Signal("ticks:" + Id.Key).TrySetResult();
        }

        Exit();
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inTurn) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }

    private void Exit() => Interlocked.Decrement(ref _inTurn);
}
