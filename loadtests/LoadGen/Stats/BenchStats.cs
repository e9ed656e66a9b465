using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace GrainMQ.LoadGen.Stats;

/// <summary>
/// The live counters of one process's run. Every connection updates them from its own thread with interlocked
/// operations; the progress printer and the summary read them.
/// </summary>
public sealed class BenchStats
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _errors = new(StringComparer.Ordinal);
    private long _connectSucc;
    private long _connectFail;
    private long _sub;
    private long _pub;
    private long _pubAck;
    private long _recv;
    private long _drop;
    private long _fail;
    private long _firstConnect;
    private long _lastConnect;
    private long _firstPub;
    private long _lastPub;
    private long _firstRecv;
    private long _lastRecv;

    /// <summary>Publish-to-receive latency in microseconds, from the timestamp each payload carries.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>From the start of the TCP (or WebSocket) connect to CONNACK, in microseconds.</summary>
    public LatencyHistogram ConnectLatency { get; } = new();

    public long Recv => Volatile.Read(ref _recv);

    /// <summary>A connect attempt begins: the connect window opens at the first one.</summary>
    public void ConnectStarted()
    {
        if (Volatile.Read(ref _firstConnect) == 0)
        {
            Interlocked.CompareExchange(ref _firstConnect, WallClock.UnixMilliseconds(), 0);
        }
    }

    public void ConnectSucceeded(long connectMicros)
    {
        Interlocked.Increment(ref _connectSucc);
        ConnectLatency.Record(connectMicros);
        Mark(ref _firstConnect, ref _lastConnect, WallClock.UnixMilliseconds());
    }

    public void ConnectFailed(string reason)
    {
        Interlocked.Increment(ref _connectFail);
        Error(reason);
    }

    public void Subscribed() => Interlocked.Increment(ref _sub);

    /// <param name="wallClockTicks">When it was sent (<see cref="WallClock.Ticks"/>, read once for the stamp and this).</param>
    public void Published(long wallClockTicks)
    {
        Interlocked.Increment(ref _pub);
        Mark(ref _firstPub, ref _lastPub, WallClock.ToUnixMilliseconds(wallClockTicks));
    }

    public void PublishAcknowledged() => Interlocked.Increment(ref _pubAck);

    /// <param name="latencyMicros">From the payload's stamp, or -1 for a payload without one.</param>
    /// <param name="wallClockTicks">When it arrived (<see cref="WallClock.Ticks"/>).</param>
    public void Received(long latencyMicros, long wallClockTicks)
    {
        Interlocked.Increment(ref _recv);
        Mark(ref _firstRecv, ref _lastRecv, WallClock.ToUnixMilliseconds(wallClockTicks));
        if (latencyMicros >= 0)
        {
            Latency.Record(latencyMicros);
        }
    }

    public void Dropped(long count = 1) => Interlocked.Add(ref _drop, count);

    /// <summary>Counts one failure under <paramref name="reason"/> (a short snake_case word, maybe with a detail after a colon).</summary>
    public void Error(string reason)
    {
        Interlocked.Increment(ref _fail);
        var box = _errors.GetOrAdd(reason, static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    public CounterSnapshot Counters() => new(
        Volatile.Read(ref _connectSucc),
        Volatile.Read(ref _connectFail),
        Volatile.Read(ref _sub),
        Volatile.Read(ref _pub),
        Volatile.Read(ref _pubAck),
        Volatile.Read(ref _recv),
        Volatile.Read(ref _drop),
        Volatile.Read(ref _fail));

    public IReadOnlyDictionary<string, long> Errors()
    {
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, box) in _errors)
        {
            errors[reason] = Volatile.Read(ref box.Value);
        }

        return errors;
    }

    /// <summary>From the first connect attempt to the last successful CONNACK.</summary>
    public TimeWindow ConnectWindow => Volatile.Read(ref _lastConnect) == 0 ? TimeWindow.None : Window(ref _firstConnect, ref _lastConnect);

    public TimeWindow PubWindow => Window(ref _firstPub, ref _lastPub);

    public TimeWindow RecvWindow => Window(ref _firstRecv, ref _lastRecv);

    private static TimeWindow Window(ref long first, ref long last)
    {
        var start = Volatile.Read(ref first);
        return start == 0 ? TimeWindow.None : new TimeWindow(start, Math.Max(start, Volatile.Read(ref last)));
    }

    private static void Mark(ref long first, ref long last, long now)
    {
        if (Volatile.Read(ref first) == 0)
        {
            Interlocked.CompareExchange(ref first, now, 0);
        }

        if (now > Volatile.Read(ref last))
        {
            Volatile.Write(ref last, now);
        }
    }
}
