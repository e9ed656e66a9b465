namespace GrainMQ.Runtime.Cgroups;

/// <summary>The .NET thread pool's bounds (ThreadPool.SetMinThreads / SetMaxThreads).</summary>
/// <param name="MinWorkerThreads">Threads created on demand without the injection delay.</param>
/// <param name="MaxWorkerThreads">The hard ceiling on worker threads.</param>
/// <param name="MinIoThreads">Minimum I/O completion threads.</param>
/// <param name="MaxIoThreads">Maximum I/O completion threads.</param>
public sealed record ThreadPoolLimits(int MinWorkerThreads, int MaxWorkerThreads, int MinIoThreads, int MaxIoThreads);
