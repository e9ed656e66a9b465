using GrainMQ.Runtime.Cgroups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class CpuBudgetRegistrationTests
{
    [Fact]
    public void AddCpuBudget_registers_one_service_as_the_monitor_and_a_hosted_service()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IGrainScheduler>(new RecordingScheduler(workers: 3));
        services.AddSingleton(new CgroupReader(CgroupFixture.PathOf("v2")));
        services.AddCpuBudget(new KeyValueConfiguration(("Scheduling:WeightPolicy", "Request")));
        using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<ICpuBudgetMonitor>();
        var hosted = Assert.Single(provider.GetServices<IHostedService>());

        Assert.Same(monitor, hosted);
        // Not started: the budget is computed, nothing is applied yet.
        Assert.Equal(2.5, monitor.Current.Budget.Cpus);
        Assert.Equal(3, monitor.Current.SchedulerWorkers);
    }

    [Fact]
    public void AddCpuBudget_rejects_a_bad_scheduling_value_at_registration()
    {
        var services = new ServiceCollection();

        Assert.Throws<InvalidOperationException>(
            () => services.AddCpuBudget(new KeyValueConfiguration(("Scheduling:Cpus", "-1"))));
    }

    [Fact]
    public void ComputeAtStartup_reads_this_machine_and_honours_the_cpus_override()
    {
        var budget = CpuBudget.ComputeAtStartup(new KeyValueConfiguration(("Scheduling:Cpus", "1.5")));

        Assert.Equal((1.5, CpuBudgetSource.Override, 1, 1), (budget.Cpus, budget.Source, budget.SchedulerWorkers, budget.IOQueueCount));
        Assert.Contains("cgroup", budget.Findings, StringComparison.Ordinal);
    }
}
