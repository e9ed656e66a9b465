namespace GrainMQ.LoadGen;

/// <summary>The fixed limits of the tool, each with the reason for its value.</summary>
public static class BenchLimits
{
    /// <summary>
    /// Connections one process may hold: the machine allows 20,000 open descriptors per process and the runtime
    /// keeps some for itself. A run with more clients needs <c>--workers</c>.
    /// </summary>
    public const int MaxClientsPerProcess = 19_000;

    /// <summary>Most overdue messages one publisher sends in one scheduler pass; more overdue than that are dropped.</summary>
    public const int PublishBurst = 10;

    /// <summary>
    /// Bytes one connection may have encoded but not yet written to its socket before new publishes are dropped
    /// (acks and pings are always queued). Keeps a slow broker from growing the tool's memory without bound.
    /// </summary>
    public const int MaxPendingWriteBytes = 1024 * 1024;

    /// <summary>
    /// A connection whose last two reads came less than this many milliseconds apart counts as busy and keeps its
    /// receive buffer between reads; a quieter one returns it and waits with a zero-byte read.
    /// </summary>
    public const int BusyReadGapMs = 50;

    /// <summary>Receive buffer rented when bytes arrive (and returned once they are all decoded); it grows for larger packets.</summary>
    public const int ReceiveBufferSize = 4096;

    /// <summary>Largest packet accepted from the broker: the protocol's own maximum (256 MiB plus the fixed header).</summary>
    public const int MaxIncomingPacketSize = 268_435_455 + 5;

    /// <summary>Largest inflight window: the packet identifier space.</summary>
    public const int MaxInflight = ushort.MaxValue;

    /// <summary>How long the end of a run waits for queued DISCONNECTs to be written before closing sockets.</summary>
    public static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(5);
}
