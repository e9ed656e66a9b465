using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class CpuBudgetTests
{
    private static CpuBudget Compute(string fixture, SchedulingOptions? options = null) =>
        CpuBudget.Compute(new CgroupReader(CgroupFixture.PathOf(fixture)).Read(), options ?? new SchedulingOptions());

    [Fact]
    public void Fractional_v1_quota_gives_a_fractional_budget_rounded_down_to_one_worker()
    {
        var budget = Compute("v1");

        Assert.Equal(1.5, budget.Cpus);
        Assert.Equal(CpuBudgetSource.Quota, budget.Source);
        Assert.Equal(1, budget.SchedulerWorkers);
        Assert.Equal(new ThreadPoolLimits(1, 8, 1, 8), budget.ThreadPool);
        Assert.Equal(1, budget.IOQueueCount);
        Assert.Equal(
            "cgroup v1: quota 150000/100000 at /kubepods/burstable/pod1/c1, cpuset 0-63, shares 1536 (request 1.5 CPU), memory 512 MiB, host 64 CPUs",
            budget.Findings);
    }

    [Fact]
    public void V2_quota_of_two_and_a_half_cpus_gives_two_workers()
    {
        var budget = Compute("v2");

        Assert.Equal(2.5, budget.Cpus);
        Assert.Equal(2, budget.SchedulerWorkers);
        Assert.Equal(new ThreadPoolLimits(2, 8, 2, 8), budget.ThreadPool);
        Assert.Equal(2, budget.IOQueueCount);
    }

    [Fact]
    public void Hybrid_budget_comes_from_the_v1_quota()
    {
        var budget = Compute("hybrid");

        Assert.Equal((2.0, CpuBudgetSource.Quota, 2), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
        Assert.StartsWith("cgroup hybrid (cpu v1): quota 200000/100000 at /system.slice/grainmq.service", budget.Findings, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_a_cpu_quota_on_the_parent_still_gets_one_worker()
    {
        var budget = Compute("parent-quota");

        Assert.Equal((0.5, CpuBudgetSource.Quota, 1), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
        Assert.Contains("quota 50000/100000 at /kubepods.slice/pod3.slice", budget.Findings, StringComparison.Ordinal);
    }

    [Fact]
    public void Cpuset_only_budget_is_the_number_of_cpus_in_the_set()
    {
        var budget = Compute("cpuset-only");

        Assert.Equal((2.0, CpuBudgetSource.Cpuset, 2), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
    }

    [Fact]
    public void Weight_only_cgroup_under_the_default_cpuset_policy_uses_the_whole_cpuset()
    {
        var budget = Compute("weight-only");

        Assert.Equal((64.0, CpuBudgetSource.Host, 64), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
        Assert.Equal(new ThreadPoolLimits(64, 256, 64, 256), budget.ThreadPool);
        Assert.Equal(CpuBudget.MaxIOQueueCount, budget.IOQueueCount);
    }

    [Fact]
    public void Weight_only_cgroup_under_the_request_policy_is_sized_to_the_request()
    {
        var budget = Compute("weight-only", new SchedulingOptions { WeightPolicy = WeightPolicy.Request });

        Assert.Equal(CpuBudgetSource.Request, budget.Source);
        Assert.Equal(2073 / 1024.0, budget.Cpus);
        Assert.Equal(2, budget.SchedulerWorkers);
    }

    [Fact]
    public void V1_request_of_half_a_cpu_gets_one_worker()
    {
        var budget = Compute("weight-only-v1", new SchedulingOptions { WeightPolicy = WeightPolicy.Request });

        Assert.Equal((0.5, CpuBudgetSource.Request, 1), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
    }

    [Fact]
    public void A_quota_beats_the_weight_even_under_the_request_policy()
    {
        var budget = Compute("v1", new SchedulingOptions { WeightPolicy = WeightPolicy.Request });

        Assert.Equal((1.5, CpuBudgetSource.Quota), (budget.Cpus, budget.Source));
    }

    [Fact]
    public void No_limits_means_the_host_cpus()
    {
        var budget = Compute("no-limits");

        Assert.Equal((4.0, CpuBudgetSource.Host, 4), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
        Assert.Equal(new ThreadPoolLimits(4, 16, 4, 16), budget.ThreadPool);
    }

    [Fact]
    public void No_cgroup_at_all_means_the_host_cpus()
    {
        var budget = Compute("no-cgroup");

        Assert.Equal((4.0, CpuBudgetSource.Host), (budget.Cpus, budget.Source));
        Assert.Equal("no cgroup, host 4 CPUs", budget.Findings);
    }

    [Fact]
    public void Max_quota_leaves_the_budget_to_the_cpus()
    {
        var budget = Compute("max");

        Assert.Equal((6.0, CpuBudgetSource.Host), (budget.Cpus, budget.Source));
        Assert.Contains("no quota", budget.Findings, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaced_container_quota_is_its_budget()
    {
        var budget = Compute("namespaced");

        Assert.Equal((1.0, CpuBudgetSource.Quota, 1), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
        Assert.Contains("quota 100000/100000 at /", budget.Findings, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cpus_override_wins_over_the_cgroup()
    {
        var budget = Compute("v1", new SchedulingOptions { Cpus = 3.7 });

        Assert.Equal((3.7, CpuBudgetSource.Override, 3), (budget.Cpus, budget.Source, budget.SchedulerWorkers));
    }

    [Fact]
    public void Cgroup_awareness_off_leaves_the_process_unmanaged()
    {
        var budget = Compute("v1", new SchedulingOptions { CgroupAware = false });

        Assert.False(budget.Managed);
        Assert.Null(budget.ThreadPool);
        Assert.Equal(Environment.ProcessorCount, budget.SchedulerWorkers);
    }

    [Fact]
    public void Thread_pool_ceiling_follows_the_configured_multiple_and_floor()
    {
        var budget = Compute("cpuset-only", new SchedulingOptions { ThreadPoolMaxPerWorker = 10, ThreadPoolMaxFloor = 3 });

        Assert.Equal(new ThreadPoolLimits(2, 20, 2, 20), budget.ThreadPool);
    }

    [Theory]
    [InlineData(0.01, 1)]
    [InlineData(0.999, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.99, 1)]
    [InlineData(2.0, 2)]
    [InlineData(7.5, 7)]
    [InlineData(1e12, CpuBudget.MaxThreads)]
    public void Workers_are_the_budget_rounded_down_with_a_minimum_of_one(double cpus, int workers)
    {
        Assert.Equal(workers, CpuBudget.WorkersFor(cpus));
    }
}
