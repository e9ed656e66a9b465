namespace GrainMQ.Runtime;

/// <summary>The bounded pool of worker threads that runs grain turns.</summary>
public interface IGrainScheduler
{
    /// <summary>The number of workers the scheduler is sized to.</summary>
    int WorkerCount { get; }

    /// <summary>
    /// Resizes the pool (at least 1). Extra workers start at once; surplus workers retire after finishing their
    /// current slice, before taking more work.
    /// </summary>
    void SetWorkerCount(int workers);

    /// <summary>Runnable activations waiting for a worker (the run queue depth).</summary>
    int QueuedActivations { get; }
}
