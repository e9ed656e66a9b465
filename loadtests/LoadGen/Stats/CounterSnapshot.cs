namespace GrainMQ.LoadGen.Stats;

/// <summary>The running totals of one run (or of several workers added up), as data.</summary>
/// <param name="ConnectSucc">Connections that got a successful CONNACK.</param>
/// <param name="ConnectFail">Connections that never got one (refused, timed out, CONNACK with an error).</param>
/// <param name="Sub">Subscriptions the broker granted.</param>
/// <param name="Pub">PUBLISH packets handed to the socket.</param>
/// <param name="PubAck">QoS 1/2 publishes the broker acknowledged (PUBACK, or PUBCOMP for QoS 2).</param>
/// <param name="Recv">PUBLISH packets received by subscribers.</param>
/// <param name="Drop">Scheduled publishes not sent: the inflight window was full or the write buffer over its bound.</param>
/// <param name="Fail">Errors of every kind; the summary breaks them down by reason.</param>
public sealed record CounterSnapshot(long ConnectSucc, long ConnectFail, long Sub, long Pub, long PubAck, long Recv, long Drop, long Fail)
{
    public static CounterSnapshot Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public CounterSnapshot Plus(CounterSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CounterSnapshot(
            ConnectSucc + other.ConnectSucc,
            ConnectFail + other.ConnectFail,
            Sub + other.Sub,
            Pub + other.Pub,
            PubAck + other.PubAck,
            Recv + other.Recv,
            Drop + other.Drop,
            Fail + other.Fail);
    }

    /// <summary>The counters in emqtt_bench's naming and printing order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Named() =>
    [
        new("connect_succ", ConnectSucc),
        new("connect_fail", ConnectFail),
        new("sub", Sub),
        new("pub", Pub),
        new("pub_ack", PubAck),
        new("recv", Recv),
        new("drop", Drop),
        new("fail", Fail),
    ];
}
