using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Gateway;

/// <summary>How a new connection was admitted.</summary>
internal enum Admission
{
    Admitted,
    Busy,
    ShuttingDown,
}

/// <summary>
/// The live connections, per listener, so that <see cref="MqttOptions.MaxConnections"/> can be enforced and a
/// stopping broker can close every connection. Single owner of this set; lock-free (a concurrent dictionary and
/// interlocked counts). A connection added while <see cref="CloseAllAsync"/> runs is either seen by its enumeration or
/// sees the stopping flag itself (both sides pass a full fence).
/// <para>
/// It also enforces the connect timeout and the keep-alive of every connection with one timer (every
/// <see cref="SilenceCheckInterval"/>), like Kestrel's heartbeat, instead of a timer and a cancellation source per
/// connection: an idle connection costs less memory, and a read costs no token registration.
/// </para>
/// </summary>
internal sealed class MqttConnectionTracker(ILogger<MqttConnectionTracker> logger) : IDisposable
{
    /// <summary>
    /// How often connections are checked for silence: the timeouts are enforced within this much of their deadline.
    /// A pass touches every connection (a cache miss each): four passes a second were 5 % of the broker's CPU samples
    /// while 15,000 clients connected, so one pass a second, like Kestrel's heartbeat.
    /// </summary>
    internal static readonly TimeSpan SilenceCheckInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<MqttConnection, byte> _live = new();
    private readonly int[] _perTransport = new int[Enum.GetValues<MqttTransport>().Length];
    private Timer? _silenceTimer;
    private int _stopping;
    private int _disposed;

    public Admission Add(MqttConnection connection, MqttTransport transport, int maxConnections)
    {
        if (Volatile.Read(ref _silenceTimer) is null && Volatile.Read(ref _disposed) == 0)
        {
            StartSilenceChecks();
        }

        _live.TryAdd(connection, 0);
        var count = Interlocked.Increment(ref _perTransport[(int)transport]);
        if (Volatile.Read(ref _stopping) != 0)
        {
            return Admission.ShuttingDown;
        }

        return count > maxConnections ? Admission.Busy : Admission.Admitted;
    }

    public void Remove(MqttConnection connection, MqttTransport transport)
    {
        Interlocked.Decrement(ref _perTransport[(int)transport]);
        _live.TryRemove(connection, out _);
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Interlocked.Exchange(ref _silenceTimer, null)?.Dispose();
    }

    private void StartSilenceChecks()
    {
        var timer = new Timer(static state => ((MqttConnectionTracker)state!).CheckSilence(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _silenceTimer, timer, null) is not null)
        {
            timer.Dispose();
        }
        else if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed while starting: whoever clears the field disposes the timer.
            Interlocked.CompareExchange(ref _silenceTimer, null, timer)?.Dispose();
        }
        else
        {
            timer.Change(SilenceCheckInterval, SilenceCheckInterval);
        }
    }

    private void CheckSilence()
    {
        var now = Environment.TickCount64;
        foreach (var entry in _live)
        {
            entry.Key.CheckSilence(now);
        }
    }

    /// <summary>
    /// Tells every connection that the server is shutting down (an MQTT 5 client gets DISCONNECT 0x8B) and waits for
    /// them to close, at most <paramref name="timeout"/>.
    /// </summary>
    public async Task CloseAllAsync(TimeSpan timeout)
    {
        Interlocked.Exchange(ref _stopping, 1);
        var closing = new List<Task>(_live.Count);
        foreach (var connection in _live.Keys)
        {
            connection.Shutdown();
            closing.Add(connection.Completion);
        }

        if (closing.Count == 0)
        {
            return;
        }

        GatewayLog.InformationClosingForShutdown(logger, closing.Count);
        try
        {
            await Task.WhenAll(closing).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            GatewayLog.WarningShutdownTimedOut(logger, _live.Count, timeout);
        }
    }
}
