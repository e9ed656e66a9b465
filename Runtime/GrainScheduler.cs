using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime;

// Who owns what in the runtime (read this before touching any shared state):
//
// * Run queue (_runQueue, ConcurrentQueue<ActivationData>): holds runnable activations, each at most once. An activation
//   is on the run queue or being run by a worker exactly when its _scheduled flag is true. Whoever flips _scheduled from
//   false to true (under the activation's lock) enqueues it; the worker that dequeues it owns it until it either clears
//   _scheduled (under the lock, when there is nothing runnable) or puts it at the back of the queue (slice used up).
// * Activation (ActivationData): its mailbox, posted continuations, status, deactivation request and timer list are
//   guarded by the activation's own lock, held only for O(1) queue operations and never while running grain code. The
//   grain instance and the in-flight turn fields are owned by the worker that owns the activation. A turn that awaits
//   releases the worker; its continuations are posted to the activation's synchronization context and run later by
//   whichever worker owns it next, still as the same turn.
// * Catalog (ConcurrentDictionary<GrainId, ActivationData>): entries are added by senders (GetOrAdd) and removed or
//   replaced only by the dying activation itself, under its lock. Lock order: activation lock, then the dictionary's
//   internal locks; no code takes an activation lock from inside a dictionary callback.
// * Worker pool (this class): _targetWorkers changes under _resizeLock; _retiring and _sleeping are Interlocked counters.
//   A sleeping worker waits on _wakeUp; a waker claims one sleeper by decrementing _sleeping before releasing, so each
//   release is consumed by exactly one wait and no wake-up is lost (enqueue-then-read-sleepers vs. increment-sleepers-
//   then-read-queue, both with full fences).
// * Per-type counters (GrainTypeInfo) and activity clocks: Interlocked/Volatile, no owner.
// * Pending Ask calls: the ResponseTracker's list, under its lock.
// No lock is ever held while calling grain code, an observer or an event handler, and no worker blocks on a task.
//
// Workers are dedicated background threads rather than long-running tasks: their number is exactly what the settings
// say, they never borrow or starve thread-pool threads, and an idle one sleeps on a semaphore instead of spinning.

/// <summary>
/// A bounded pool of dedicated worker threads running a fair run queue of activations: each runnable activation gets a
/// slice of up to <see cref="RuntimeOptions.MaxTurnsPerSlice"/> steps and then goes to the back of the queue.
/// Idle workers sleep on a semaphore.
/// </summary>
internal sealed class GrainScheduler : IGrainScheduler, IDisposable
{
    private readonly ConcurrentQueue<ActivationData> _runQueue = new();
    private readonly SemaphoreSlim _wakeUp = new(0);
    private readonly Lock _resizeLock = new();
    private readonly ILogger _logger;
    private int _targetWorkers;
    private int _liveWorkers;
    private int _retiring;
    private int _sleeping;
    private int _workerNumber;
    private volatile bool _disposed;

    public GrainScheduler(int workers, ILogger logger)
    {
        _logger = logger;
        SetWorkerCount(workers);
    }

    public int WorkerCount => Volatile.Read(ref _targetWorkers);

    public int QueuedActivations => _runQueue.Count;

    /// <summary>Worker threads currently alive (retiring workers included until they exit).</summary>
    public int LiveWorkers => Volatile.Read(ref _liveWorkers);

    public void SetWorkerCount(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        lock (_resizeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var delta = workers - _targetWorkers;
            _targetWorkers = workers;
            while (delta > 0 && TryClaim(ref _retiring))
            {
                delta--;
            }

            for (; delta > 0; delta--)
            {
                StartWorker();
            }

            if (delta < 0)
            {
                Interlocked.Add(ref _retiring, -delta);
                for (; delta < 0; delta++)
                {
                    WakeOne();
                }
            }
        }

        Log.SchedulerResized(_logger, workers);
    }

    /// <summary>Puts a runnable activation at the back of the run queue. Called only by whoever set its _scheduled flag.</summary>
    public void Schedule(ActivationData activation)
    {
        _runQueue.Enqueue(activation);
        WakeOne();
    }

    public void Dispose()
    {
        lock (_resizeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _wakeUp.Release(Math.Max(1, Volatile.Read(ref _liveWorkers)));
        }
    }

    // Decrements a positive counter; false when it is zero.
    private static bool TryClaim(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private void StartWorker()
    {
        Interlocked.Increment(ref _liveWorkers);
        var thread = new Thread(static state => ((GrainScheduler)state!).WorkerLoop())
        {
            IsBackground = true,
            Name = "grain-worker-" + Interlocked.Increment(ref _workerNumber),
        };
        thread.UnsafeStart(this);
    }

    private void WakeOne()
    {
        if (TryClaim(ref _sleeping))
        {
            _wakeUp.Release();
        }
    }

    private void WorkerLoop()
    {
        try
        {
            while (!_disposed && !TryClaim(ref _retiring))
            {
                if (_runQueue.TryDequeue(out var activation))
                {
                    // A retirement requested while we were looking for work: hand the activation back and leave, so that
                    // once SetWorkerCount returns no new slice starts on a surplus worker.
                    if (TryClaim(ref _retiring))
                    {
                        Schedule(activation);
                        break;
                    }

                    Run(activation);
                }
                else
                {
                    Sleep();
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _liveWorkers);
        }
    }

    private void Sleep()
    {
        Interlocked.Increment(ref _sleeping);
        if (_runQueue.IsEmpty && Volatile.Read(ref _retiring) == 0 && !_disposed)
        {
            _wakeUp.Wait();
            return;
        }

        // Work appeared after we registered as a sleeper. Withdraw; if a waker already claimed us, its release is on
        // its way and must be consumed here so that it does not wake some other worker for nothing later.
        if (!TryClaim(ref _sleeping))
        {
            _wakeUp.Wait();
        }
    }

    private void Run(ActivationData activation)
    {
        try
        {
            activation.RunSlice();
        }
        catch (Exception ex)
        {
            Log.WorkerFailed(_logger, ex, activation.Id);
        }
    }
}
