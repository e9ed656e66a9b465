using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class ProcessThreadPoolTests
{
    [Fact]
    public void The_process_thread_pool_takes_the_bounds_and_reports_them_back()
    {
        var pool = ProcessThreadPool.Instance;
        var original = pool.Read();
        // Only widen the bounds: the test host's own pool must never be squeezed.
        var wider = new ThreadPoolLimits(
            original.MinWorkerThreads + 1, original.MaxWorkerThreads, original.MinIoThreads + 1, original.MaxIoThreads);
        try
        {
            Assert.Equal(wider, pool.Apply(wider));
        }
        finally
        {
            pool.Apply(original);
        }

        Assert.Equal(original, pool.Read());
    }
}
