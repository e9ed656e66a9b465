using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class CpuBudgetServiceTests
{
    private const string V2Leaf = "sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod2.slice/cri-containerd-abc.scope";
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    private static (CpuBudgetService Service, RecordingScheduler Scheduler, RecordingThreadPool Pool, ListLogger Log) Create(
        string root, SchedulingOptions options)
    {
        var scheduler = new RecordingScheduler(workers: 2);
        var pool = new RecordingThreadPool();
        var log = new ListLogger();
        return (new CpuBudgetService(options, new CgroupReader(root), scheduler, pool, log), scheduler, pool, log);
    }

    [Fact]
    public async Task Start_applies_the_budget_and_logs_one_line_with_what_was_found_and_what_was_set()
    {
        var (service, scheduler, pool, log) = Create(CgroupFixture.PathOf("v1"), new SchedulingOptions());

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([1], scheduler.Resizes);
        Assert.Equal([new ThreadPoolLimits(1, 8, 1, 8)], pool.Applied);
        var line = Assert.Single(log.Lines);
        Assert.Equal(
            "cgroup v1: quota 150000/100000 at /kubepods/burstable/pod1/c1, cpuset 0-63, shares 1536 (request 1.5 CPU), memory 512 MiB, host 64 CPUs"
            + $", .NET ProcessorCount {Environment.ProcessorCount}"
            + " → budget 1.5 CPU (Quota) → scheduler workers 1, thread pool 1..8, I/O threads 1..8, Kestrel IOQueueCount 1",
            line);
        Assert.Equal(1.5, service.Current.Budget.Cpus);
        Assert.Equal(1, service.Current.SchedulerWorkers);
        Assert.Equal(new CpuThrottling(1000, 40, TimeSpan.FromSeconds(2.5), "/kubepods/burstable/pod1/c1"), service.Current.Throttling);
    }

    [Fact]
    public async Task With_cgroup_awareness_off_nothing_is_applied_and_the_log_says_so()
    {
        var (service, scheduler, pool, log) = Create(CgroupFixture.PathOf("v1"), new SchedulingOptions { CgroupAware = false });

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Empty(scheduler.Resizes);
        Assert.Empty(pool.Applied);
        Assert.Contains("sizing off", Assert.Single(log.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scheduler_is_not_resized_when_it_already_has_the_budgeted_workers()
    {
        var (service, scheduler, _, _) = Create(CgroupFixture.PathOf("v2"), new SchedulingOptions());

        await service.StartAsync(CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.Empty(scheduler.Resizes);
        Assert.Equal(2, service.Current.SchedulerWorkers);
    }

    [Fact]
    public async Task A_quota_raised_in_place_is_applied_on_the_next_poll_and_announced()
    {
        using var tree = CgroupFixture.CopyOf("v2");
        var (service, scheduler, pool, log) = Create(tree.Root, new SchedulingOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        var changed = new TaskCompletionSource<CpuBudgetState>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Changed += state => changed.TrySetResult(state);

        await service.StartAsync(CancellationToken.None);
        tree.Write(V2Leaf + "/cpu.max", "400000 100000");
        var state = await changed.Task.WaitAsync(SignalTimeout);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(4.0, state.Budget.Cpus);
        Assert.Equal(4, state.SchedulerWorkers);
        Assert.Equal([4], scheduler.Resizes);
        Assert.Equal(new ThreadPoolLimits(4, 16, 4, 16), pool.Applied[^1]);
        Assert.Same(state, service.Current);
        Assert.Contains(log.Lines, l => l.StartsWith("CPU budget changed from 2.5 to 4 CPU", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quota_lowered_in_place_shrinks_the_scheduler()
    {
        using var tree = CgroupFixture.CopyOf("v2");
        var (service, scheduler, _, _) = Create(tree.Root, new SchedulingOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        var changed = new TaskCompletionSource<CpuBudgetState>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Changed += state => changed.TrySetResult(state);

        await service.StartAsync(CancellationToken.None);
        tree.Write(V2Leaf + "/cpu.max", "75000 100000");
        var state = await changed.Task.WaitAsync(SignalTimeout);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0.75, state.Budget.Cpus);
        Assert.Equal([1], scheduler.Resizes);
    }

    [Fact]
    public async Task Every_poll_refreshes_the_throttling_counters_but_only_a_changed_budget_raises_an_event()
    {
        using var tree = CgroupFixture.CopyOf("v2");
        var (service, _, _, _) = Create(tree.Root, new SchedulingOptions { PollInterval = TimeSpan.FromHours(1) });
        var events = new List<CpuBudgetState>();
        service.Changed += events.Add;
        await service.StartAsync(CancellationToken.None);

        tree.Write(V2Leaf + "/cpu.stat", "usage_usec 9\nnr_periods 900\nnr_throttled 90\nthrottled_usec 5000000");
        service.Poll();
        var countersOnly = service.Current;
        tree.Write(V2Leaf + "/cpu.max", "300000 100000");
        service.Poll();
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(new CpuThrottling(900, 90, TimeSpan.FromSeconds(5), V2Leaf[13..]), countersOnly.Throttling);
        Assert.Equal(2.5, countersOnly.Budget.Cpus);
        var changed = Assert.Single(events);
        Assert.Equal(3.0, changed.Budget.Cpus);
        Assert.Same(changed, service.Current);
    }
}
