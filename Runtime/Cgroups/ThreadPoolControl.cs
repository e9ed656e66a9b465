namespace GrainMQ.Runtime.Cgroups;

/// <summary>Reads and sets the thread pool bounds. A seam so tests of the service do not resize the test host's own pool.</summary>
internal interface IThreadPoolControl
{
    ThreadPoolLimits Read();

    /// <summary>Applies the bounds and returns what the pool reports afterwards.</summary>
    ThreadPoolLimits Apply(ThreadPoolLimits limits);
}

/// <summary>The process's own <see cref="ThreadPool"/>.</summary>
internal sealed class ProcessThreadPool : IThreadPoolControl
{
    public static readonly ProcessThreadPool Instance = new();

    private ProcessThreadPool()
    {
    }

    public ThreadPoolLimits Read()
    {
        ThreadPool.GetMinThreads(out var minWorker, out var minIo);
        ThreadPool.GetMaxThreads(out var maxWorker, out var maxIo);
        return new ThreadPoolLimits(minWorker, maxWorker, minIo, maxIo);
    }

    // The pool refuses a minimum above its current maximum and a maximum below its current minimum. Lowering the minimum
    // first (never above what it is), then setting the maximum, then the minimum, is valid from any starting point.
    public ThreadPoolLimits Apply(ThreadPoolLimits limits)
    {
        var current = Read();
        ThreadPool.SetMinThreads(
            Math.Min(limits.MinWorkerThreads, current.MinWorkerThreads),
            Math.Min(limits.MinIoThreads, current.MinIoThreads));
        ThreadPool.SetMaxThreads(limits.MaxWorkerThreads, limits.MaxIoThreads);
        ThreadPool.SetMinThreads(limits.MinWorkerThreads, limits.MinIoThreads);
        return Read();
    }
}
