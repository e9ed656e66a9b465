using System.Globalization;
using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

/// <summary>
/// The CPU budget on real cgroups (docs/cgroups.md): each test creates cgroup v1 <c>cpu</c> cgroups with a CFS quota,
/// starts the built Silo inside one and reads what it reports and what it runs. Needs root and a writable v1 cpu
/// hierarchy; elsewhere the tests are skipped with the reason (<see cref="CgroupFactAttribute"/>).
/// </summary>
public sealed class CgroupTests
{
    private const double HalfCpu = 0.5;
    private const string DotnetProcessorCount = ".NET ProcessorCount ";
    private const string BudgetChanged = "CPU budget changed from ";
    private static readonly TimeSpan ShortPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(30);

    [CgroupFact]
    public async Task Silo_in_a_cgroup_with_a_half_CPU_quota_reports_half_a_CPU_and_runs_one_grain_worker()
    {
        using var cgroup = CgroupV1Cpu.Create("quota");
        cgroup.SetQuota(HalfCpu);

        await using var silo = await CgroupSilo.StartAsync(cgroup, []);

        var line = silo.BudgetLine;
        Assert.Contains($"quota 50000/100000 at {cgroup.Path},", line, StringComparison.Ordinal);
        Assert.Contains(
            "→ budget 0.5 CPU (Quota) → scheduler workers 1, thread pool 1..8, I/O threads 1..8, Kestrel IOQueueCount 1",
            line,
            StringComparison.Ordinal);
        // .NET reads this quota too, but rounds it up to a whole CPU.
        Assert.Equal(1, CgroupSilo.NumberAfter(line, DotnetProcessorCount));
        Assert.Equal(1, silo.GrainWorkerThreads());
        await AssertDeliversAsync(silo);
    }

    [CgroupFact]
    public async Task Quota_on_a_parent_cgroup_is_the_budget_although_dotnet_sees_every_host_CPU()
    {
        using var parent = CgroupV1Cpu.Create("parent-quota");
        parent.SetQuota(HalfCpu);
        var child = parent.CreateChild("silo");

        await using var silo = await CgroupSilo.StartAsync(child, []);

        var line = silo.BudgetLine;
        Assert.Contains($"quota 50000/100000 at {parent.Path},", line, StringComparison.Ordinal);
        Assert.Contains(
            "→ budget 0.5 CPU (Quota) → scheduler workers 1, thread pool 1..8, I/O threads 1..8, Kestrel IOQueueCount 1",
            line,
            StringComparison.Ordinal);
        // .NET reads only the leaf cgroup, which has no quota: it reports the host's CPUs.
        Assert.Equal(CgroupSilo.NumberAfter(line, "host "), CgroupSilo.NumberAfter(line, DotnetProcessorCount));
        Assert.Equal(1, silo.GrainWorkerThreads());
    }

    [CgroupFact]
    public async Task Quota_changed_on_the_live_parent_cgroup_is_applied_at_the_next_poll_both_ways()
    {
        using var parent = CgroupV1Cpu.Create("resize");
        parent.SetQuota(HalfCpu);
        var child = parent.CreateChild("silo");
        await using var silo = await CgroupSilo.StartAsync(
            child, ["--Scheduling:PollInterval", ShortPoll.ToString("c", CultureInfo.InvariantCulture)]);
        Assert.Contains("→ budget 0.5 CPU (Quota) → scheduler workers 1,", silo.BudgetLine, StringComparison.Ordinal);
        var raised = Math.Min(2, (int)CgroupSilo.NumberAfter(silo.BudgetLine, "host "));

        parent.SetQuota(raised);
        var up = await silo.WaitForLogLineAsync(l => l.Contains(BudgetChanged, StringComparison.Ordinal), ChangeTimeout);
        parent.SetQuota(HalfCpu);
        var down = await silo.WaitForLogLineAsync(l => l.Contains(BudgetChanged, StringComparison.Ordinal), ChangeTimeout);

        Assert.Contains($"CPU budget changed from 0.5 to {raised} CPU (Quota): ", up, StringComparison.Ordinal);
        Assert.Contains($"quota {raised * 100_000}/100000 at {parent.Path},", up, StringComparison.Ordinal);
        Assert.Contains(
            $"→ scheduler workers {raised}, thread pool {raised}..8, I/O threads {raised}..8 (Kestrel IOQueueCount keeps its start-up value)",
            up,
            StringComparison.Ordinal);
        Assert.Contains($"CPU budget changed from {raised} to 0.5 CPU (Quota): ", down, StringComparison.Ordinal);
        Assert.Contains("→ scheduler workers 1, thread pool 1..8, I/O threads 1..8 ", down, StringComparison.Ordinal);
    }

    [CgroupFact]
    public async Task With_cgroup_sizing_off_the_Silo_keeps_dotnets_view_under_a_parent_quota()
    {
        using var parent = CgroupV1Cpu.Create("sizing-off");
        parent.SetQuota(HalfCpu);
        var child = parent.CreateChild("silo");

        await using var silo = await CgroupSilo.StartAsync(child, ["--Scheduling:CgroupAware", "false"]);

        var line = silo.BudgetLine;
        Assert.Contains($"quota 50000/100000 at {parent.Path},", line, StringComparison.Ordinal);
        var processors = CgroupSilo.NumberAfter(line, DotnetProcessorCount);
        Assert.Contains(
            $"cgroup sizing off (Scheduling:CgroupAware=false): budget {processors} CPU is .NET's own view",
            line,
            StringComparison.Ordinal);
        Assert.Equal(processors, silo.GrainWorkerThreads());
    }

    // The Silo serves under its quota: one QoS 1 message from mosquitto_pub reaches mosquitto_sub through it.
    private static async Task AssertDeliversAsync(CgroupSilo silo)
    {
        var topic = SiloFixture.UniqueTopic("cgroup");
        await using var subscriber = await MosquittoSubscriber.StartAsync(
            silo.TcpPort, MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce, [], silo.DescribeLog);

        await MosquittoPublisher.PublishAsync(
            silo.TcpPort, MqttProtocolVersion.V500, topic, "under quota", MqttQoS.AtLeastOnce, [], silo.DescribeLog);

        Assert.Equal("under quota", (await subscriber.NextMessageAsync()).Payload);
    }
}
