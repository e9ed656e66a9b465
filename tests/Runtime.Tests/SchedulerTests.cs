namespace GrainMQ.Runtime.Tests;

public sealed class SchedulerTests
{
    [Fact]
    public async Task Scheduler_grows_and_shrinks_while_running()
    {
        await using var host = await TestHost.StartAsync(options => options.SchedulerWorkers = 1);
        Assert.Equal(1, host.Scheduler.WorkerCount);

        host.Scheduler.SetWorkerCount(2);
        Assert.Equal(2, host.Scheduler.WorkerCount);
        var a = host.Grain(ParallelismGrain.Type, "a").AskAsync<bool>(new Meet("b"));
        var b = host.Grain(ParallelismGrain.Type, "b").AskAsync<bool>(new Meet("a"));
        Assert.True(await a.WaitAsync(TestHost.Patience));
        Assert.True(await b.WaitAsync(TestHost.Patience));

        host.Scheduler.SetWorkerCount(1);
        Assert.Equal(1, host.Scheduler.WorkerCount);
        var work = new List<Task>();
        for (var grain = 0; grain < 4; grain++)
        {
            var reference = host.Grain(ParallelismGrain.Type, "worker-" + grain);
            for (var i = 0; i < 25; i++)
            {
                work.Add(reference.AskAsync(new Work(Microseconds: 200)));
            }
        }

        await Task.WhenAll(work).WaitAsync(TestHost.Patience);
        Assert.Equal(1, host.Probe.MaxRunning);
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Scheduler.SetWorkerCount(0));
    }

    [Fact]
    public async Task Turns_never_run_on_more_threads_than_the_scheduler_has_workers()
    {
        await using var host = await TestHost.StartAsync(options => options.SchedulerWorkers = 2);
        var work = new List<Task>();
        for (var grain = 0; grain < 8; grain++)
        {
            var reference = host.Grain(ParallelismGrain.Type, "busy-" + grain);
            for (var i = 0; i < 25; i++)
            {
                work.Add(reference.AskAsync(new Work(Microseconds: 200)));
            }
        }

        await Task.WhenAll(work).WaitAsync(TestHost.Patience);
        Assert.InRange(host.Probe.MaxRunning, 1, 2);
    }
}
