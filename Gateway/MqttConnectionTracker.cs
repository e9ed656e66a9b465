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
/// </summary>
internal sealed class MqttConnectionTracker(ILogger<MqttConnectionTracker> logger)
{
    private readonly ConcurrentDictionary<MqttConnection, byte> _live = new();
    private readonly int[] _perTransport = new int[Enum.GetValues<MqttTransport>().Length];
    private int _stopping;

    public Admission Add(MqttConnection connection, MqttTransport transport, int maxConnections)
    {
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
