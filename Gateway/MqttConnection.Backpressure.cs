namespace GrainMQ.Gateway;

/// <summary>
/// Backpressure towards the client. Everything the connection queues for the write loop grows with what the client
/// sends (PINGRESP per PINGREQ, PUBACK/PUBREC per PUBLISH, SUBACK per SUBSCRIBE, ...), so a client that keeps sending
/// but never reads would grow the queue without end. Instead, before it handles a packet the read loop looks at the
/// outbound queue: while it holds <see cref="MqttOptions.MaxQueuedMessages"/> items or more, the read loop stops and
/// waits until the write loop has drained it to half of that. Kestrel then stops reading the socket once its input
/// pipe is full, and the client sees TCP backpressure. The queue thus holds at most <c>Mqtt:MaxQueuedMessages</c> items,
/// plus one answer for each of the at most <c>Mqtt:MaxPendingRequests</c> packets the session was handling when the
/// read loop stopped, plus the session's inflight window of QoS 1/2 deliveries.
/// <para>
/// Keep-alive while paused: the read loop stops with an unhandled packet from the client in its hands, so the client
/// is not silent; and while it does not read, the broker cannot know whether more arrived. The silence deadline is
/// therefore lifted while paused and started again, a whole keep-alive window, when reading resumes. A client that
/// neither reads nor disappears keeps its connection with bounded memory; a vanished one is found by TCP itself (its
/// unacknowledged writes time out and the write loop fails).
/// </para>
/// <para>
/// Ownership: <c>_drained</c> is set by the read loop (only while it waits) and completed by whoever clears it first:
/// the write loop once the queue is drained to the resume level, or <see cref="Close"/>. Both sides set their own field
/// with a full fence before reading the other's (<c>_drained</c> against <c>_queued</c> and <c>_close</c>), so a wake-up
/// cannot be lost.
/// </para>
/// </summary>
internal sealed partial class MqttConnection
{
    private TaskCompletionSource? _drained;

    /// <summary>The queue length at which a paused read loop continues.</summary>
    private int ResumeLength => _options.MaxQueuedMessages / 2;

    /// <summary>Read loop: true when the outbound queue is full and the read loop must wait before it handles more.</summary>
    private bool OutboundQueueFull => Volatile.Read(ref _queued) >= _options.MaxQueuedMessages;

    /// <summary>
    /// Read loop: waits until the write loop drained the outbound queue to <see cref="ResumeLength"/>, or the connection
    /// closes. A wake-up can be stale (the write loop saw the queue short, then the read loop filled it again before
    /// the wake-up arrived), so the queue is looked at again after each one.
    /// </summary>
    private async ValueTask WaitForOutboundDrainAsync()
    {
        _gateway.Counters.ReadPaused();
        SetSilenceLimit(Timeout.InfiniteTimeSpan);
        while (OutboundQueueFull && !IsClosing)
        {
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _drained, drained);
            if (Volatile.Read(ref _queued) <= ResumeLength || IsClosing)
            {
                Interlocked.CompareExchange(ref _drained, null, drained);
                break;
            }

            await drained.Task;
        }

        SetSilenceLimit(_keepAliveWindow);
    }

    /// <summary>Write loop: one item left the outbound queue; wakes a paused read loop once the queue is drained enough.</summary>
    private void OnDequeued()
    {
        if (Interlocked.Decrement(ref _queued) <= ResumeLength && Volatile.Read(ref _drained) is not null)
        {
            ResumeReading();
        }
    }

    /// <summary>Wakes the read loop if it waits for the outbound queue to drain.</summary>
    private void ResumeReading() => Interlocked.Exchange(ref _drained, null)?.TrySetResult();
}
