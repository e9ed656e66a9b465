using System.Collections.Concurrent;
using System.Diagnostics;
using GrainMQ.LoadGen.Client;

namespace GrainMQ.LoadGen.Run;

/// <summary>
/// Sends every publisher's messages on time from one loop: a priority queue ordered by each client's next due
/// time, woken by a timer at the earliest due time (at most every <see cref="MaxIdleWait"/>, to pick up
/// newly connected publishers). Each pass sends everything due, so one wake-up drives many clients and the
/// encodes of a pass are batched into each connection's next flush. One payload array serves every message:
/// it is stamped and encoded synchronously, one message at a time.
/// </summary>
internal sealed class PublishScheduler
{
    /// <summary>Longest sleep between passes, so a publisher that has just connected starts within this.</summary>
    private static readonly TimeSpan MaxIdleWait = TimeSpan.FromMilliseconds(10);

    private readonly ConcurrentQueue<BenchClient> _joining = new();
    private readonly PriorityQueue<BenchClient, long> _queue = new();
    private readonly BenchRun _run;
    private readonly byte[] _payload;
    private readonly long _interval;
    private long _remaining;

    /// <param name="run">The run whose stats count drops.</param>
    /// <param name="intervalMs">Milliseconds between two publishes of one client.</param>
    /// <param name="payloadSize">Payload bytes, the timestamp header included.</param>
    /// <param name="limit">Publishes after which the scheduler stops; 0 for none.</param>
    public PublishScheduler(BenchRun run, double intervalMs, int payloadSize, long limit)
    {
        _run = run;
        _payload = PayloadHeader.Create(payloadSize);
        _interval = Math.Max(1, (long)(intervalMs * Stopwatch.Frequency / 1000));
        _remaining = limit > 0 ? limit : long.MaxValue;
    }

    /// <summary>Adds a connected publisher; its first message is due at once. Thread-safe.</summary>
    public void Add(BenchClient client) => _joining.Enqueue(client);

    /// <summary>Runs until <paramref name="stopping"/> or until the message limit has been sent.</summary>
    /// <returns>True when the limit was reached.</returns>
    public async Task<bool> RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            while (_joining.TryDequeue(out var joined))
            {
                joined.StartSchedule(now, _interval);
                _queue.Enqueue(joined, now);
            }

            if (SendDue(now))
            {
                return true;
            }

            var wait = MaxIdleWait;
            if (_queue.TryPeek(out _, out var nextDue))
            {
                var untilDue = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextDue);
                wait = untilDue < wait ? untilDue : wait;
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        return false;
    }

    /// <summary>Sends what is due at <paramref name="now"/>; true when the limit has been reached.</summary>
    private bool SendDue(long now)
    {
        while (_queue.TryPeek(out var client, out var due) && due <= now)
        {
            _queue.Dequeue();
            var count = client.TakeDue(now, BenchLimits.PublishBurst, out var skipped);
            if (skipped > 0)
            {
                _run.Stats.Dropped(skipped);
            }

            var open = true;
            for (var i = 0; i < count && open; i++)
            {
                switch (client.TryPublish(_payload))
                {
                    case PublishOutcome.Sent:
                        if (--_remaining == 0)
                        {
                            return true;
                        }

                        break;
                    case PublishOutcome.Full:
                        _run.Stats.Dropped();
                        break;
                    default:
                        open = false;
                        break;
                }
            }

            if (open)
            {
                _queue.Enqueue(client, client.NextDue);
            }
        }

        return false;
    }
}
