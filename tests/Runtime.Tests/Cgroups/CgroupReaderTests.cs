using GrainMQ.Runtime.Cgroups;

namespace GrainMQ.Runtime.Tests.Cgroups;

public sealed class CgroupReaderTests
{
    private static CgroupSnapshot Read(string fixture) => new CgroupReader(CgroupFixture.PathOf(fixture)).Read();

    [Fact]
    public void V1_reads_quota_cpuset_shares_memory_and_throttling_of_a_kubernetes_container()
    {
        var snapshot = Read("v1");

        Assert.Equal(CgroupMode.V1, snapshot.Mode);
        Assert.Equal(CgroupVersion.V1, snapshot.Cpu!.Version);
        Assert.Equal("/kubepods/burstable/pod1/c1", snapshot.Cpu.Path);
        Assert.EndsWith(Path.Combine("sys", "fs", "cgroup", "cpu,cpuacct", "kubepods", "burstable", "pod1", "c1"), snapshot.Cpu.Directory, StringComparison.Ordinal);
        Assert.Equal(new CpuQuota(150_000, 100_000, "/kubepods/burstable/pod1/c1"), snapshot.Quota);
        Assert.Equal(1.5, snapshot.Quota!.Cpus);
        Assert.Equal(new CpuSet("0-63", 64, "/kubepods/burstable/pod1/c1"), snapshot.CpuSet);
        Assert.Equal(new CpuWeight(CgroupVersion.V1, 1536, "/kubepods/burstable/pod1/c1"), snapshot.Weight);
        Assert.Equal(new MemoryLimit(512L * 1024 * 1024, "/kubepods/burstable/pod1/c1"), snapshot.MemoryLimit);
        Assert.Equal(new CpuThrottling(1000, 40, TimeSpan.FromSeconds(2.5), "/kubepods/burstable/pod1/c1"), snapshot.Throttling);
        Assert.Equal(64, snapshot.HostCpus);
    }

    [Fact]
    public void V2_reads_cpu_max_effective_cpuset_weight_memory_max_and_throttled_usec()
    {
        const string leaf = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod2.slice/cri-containerd-abc.scope";
        var snapshot = Read("v2");

        Assert.Equal(CgroupMode.V2, snapshot.Mode);
        Assert.Equal(new CgroupController(CgroupVersion.V2, leaf, snapshot.Cpu!.Directory), snapshot.Cpu);
        Assert.Equal(new CpuQuota(250_000, 100_000, leaf), snapshot.Quota);
        Assert.Equal(new CpuSet("0-7", 8, leaf), snapshot.CpuSet);
        Assert.Equal(new CpuWeight(CgroupVersion.V2, 98, leaf), snapshot.Weight);
        Assert.Equal(new MemoryLimit(1L << 30, leaf), snapshot.MemoryLimit);
        Assert.Equal(new CpuThrottling(500, 25, TimeSpan.FromSeconds(1.2), leaf), snapshot.Throttling);
        Assert.Equal(16, snapshot.HostCpus);
    }

    [Fact]
    public void Hybrid_takes_each_controller_from_the_v1_hierarchy_that_carries_it_rather_than_the_unified_one()
    {
        var snapshot = Read("hybrid");

        Assert.Equal(CgroupMode.Hybrid, snapshot.Mode);
        Assert.Equal(CgroupVersion.V1, snapshot.Cpu!.Version);
        Assert.Equal(CgroupVersion.V1, snapshot.Memory!.Version);
        Assert.Equal(new CpuQuota(200_000, 100_000, "/system.slice/grainmq.service"), snapshot.Quota);
        Assert.Equal(new CpuSet("0-3", 4, "/"), snapshot.CpuSet);
        // The unified hierarchy's cpu.stat has no throttling counters; v1's has them, zero.
        Assert.Equal(new CpuThrottling(10, 0, TimeSpan.Zero, "/system.slice/grainmq.service"), snapshot.Throttling);
        // The service is unlimited; its parent slice is not.
        Assert.Equal(new MemoryLimit(2L << 30, "/system.slice"), snapshot.MemoryLimit);
    }

    [Fact]
    public void A_quota_on_a_parent_but_not_on_the_leaf_is_found_and_the_tightest_on_the_path_wins()
    {
        var snapshot = Read("parent-quota");

        Assert.Equal("/kubepods.slice/pod3.slice/container.scope", snapshot.Cpu!.Path);
        Assert.Equal(new CpuQuota(50_000, 100_000, "/kubepods.slice/pod3.slice"), snapshot.Quota);
    }

    [Fact]
    public void Throttling_counters_come_from_the_cgroup_that_carries_the_quota()
    {
        var snapshot = Read("parent-quota");

        Assert.Equal(new CpuThrottling(300, 120, TimeSpan.FromSeconds(4), "/kubepods.slice/pod3.slice"), snapshot.Throttling);
    }

    [Fact]
    public void Cpuset_only_container_without_a_cgroup_namespace_is_read_at_its_mount_root()
    {
        var snapshot = Read("cpuset-only");

        Assert.Equal(CgroupMode.V1, snapshot.Mode);
        Assert.Equal("/docker/abc", snapshot.Cpu!.Path);
        Assert.EndsWith(Path.Combine("sys", "fs", "cgroup", "cpu,cpuacct"), snapshot.Cpu.Directory, StringComparison.Ordinal);
        Assert.Null(snapshot.Quota);
        Assert.Equal(new CpuSet("2-3", 2, "/docker/abc"), snapshot.CpuSet);
        Assert.Null(snapshot.MemoryLimit);
    }

    [Fact]
    public void Weight_only_cgroup_has_a_weight_and_no_quota()
    {
        var snapshot = Read("weight-only");

        Assert.Null(snapshot.Quota);
        Assert.Equal(new CpuWeight(CgroupVersion.V2, 79, "/kubepods.slice/kubepods-burstable.slice/pod4.slice/c4.scope"), snapshot.Weight);
        Assert.Equal(64, snapshot.CpuSet!.Count);
    }

    [Fact]
    public void V1_weight_only_cgroup_reads_cpu_shares_and_reports_no_cpuset_hierarchy()
    {
        var snapshot = Read("weight-only-v1");

        Assert.Null(snapshot.Quota);
        Assert.Null(snapshot.Cpuset);
        Assert.Null(snapshot.CpuSet);
        Assert.Equal(new CpuWeight(CgroupVersion.V1, 512, "/kubepods/burstable/pod5/c5"), snapshot.Weight);
    }

    [Fact]
    public void Process_in_the_v2_root_cgroup_has_no_limits()
    {
        var snapshot = Read("no-limits");

        Assert.Equal(CgroupMode.V2, snapshot.Mode);
        Assert.Equal("/", snapshot.Cpu!.Path);
        Assert.Null(snapshot.Quota);
        Assert.Null(snapshot.Weight);
        Assert.Null(snapshot.MemoryLimit);
        Assert.Null(snapshot.Throttling);
        Assert.Equal(new CpuSet("0-3", 4, "/"), snapshot.CpuSet);
    }

    [Fact]
    public void Without_a_mounted_cgroup_file_system_nothing_but_the_host_cpus_is_found()
    {
        var snapshot = Read("no-cgroup");

        Assert.Equal(new CgroupSnapshot(CgroupMode.None, null, null, null, null, null, null, null, null, 4), snapshot);
    }

    [Fact]
    public void Max_in_cpu_max_and_memory_max_means_no_limit()
    {
        var snapshot = Read("max");

        Assert.Equal(CgroupMode.V2, snapshot.Mode);
        Assert.Null(snapshot.Quota);
        Assert.Null(snapshot.MemoryLimit);
        Assert.Equal(6, snapshot.CpuSet!.Count);
    }

    [Fact]
    public void Namespaced_proc_self_cgroup_showing_slash_reads_the_mount_point_as_the_own_cgroup()
    {
        var snapshot = Read("namespaced");

        Assert.Equal("/", snapshot.Cpu!.Path);
        Assert.Equal(Path.Combine(CgroupFixture.PathOf("namespaced"), "sys", "fs", "cgroup"), snapshot.Cpu.Directory);
        Assert.Equal(new CpuQuota(100_000, 100_000, "/"), snapshot.Quota);
        Assert.Equal(new MemoryLimit(256L << 20, "/"), snapshot.MemoryLimit);
        Assert.Equal(new CpuThrottling(7, 3, TimeSpan.FromMicroseconds(900), "/"), snapshot.Throttling);
    }

    [Fact]
    public void A_cgroup_path_that_climbs_out_of_the_namespace_falls_back_to_the_visible_root_and_never_leaves_it()
    {
        using var tree = CgroupFixture.CopyOf("namespaced");
        tree.Write("proc/self/cgroup", "0::/../../../etc");

        var snapshot = new CgroupReader(tree.Root).Read();

        Assert.Equal(Path.Combine(tree.Root, "sys", "fs", "cgroup"), snapshot.Cpu!.Directory);
        Assert.Equal(new CpuQuota(100_000, 100_000, "/"), snapshot.Quota);
    }

    [Fact]
    public void A_quota_that_changes_between_two_reads_is_seen_by_the_second_read()
    {
        const string leaf = "sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod2.slice/cri-containerd-abc.scope";
        using var tree = CgroupFixture.CopyOf("v2");
        var reader = new CgroupReader(tree.Root);

        var before = reader.Read();
        tree.Write(leaf + "/cpu.max", "400000 100000");
        var after = reader.Read();

        Assert.Equal(2.5, before.Quota!.Cpus);
        Assert.Equal(4.0, after.Quota!.Cpus);
    }

    [Fact]
    public void Escaped_spaces_in_a_mount_point_are_decoded()
    {
        using var tree = CgroupFixture.CopyOf("namespaced");
        tree.Write("proc/self/mountinfo", @"1200 1100 0:26 / /run/my\040cgroup ro,relatime - cgroup2 cgroup rw");
        tree.Write("run/my cgroup/cpu.max", "300000 100000");

        var snapshot = new CgroupReader(tree.Root).Read();

        Assert.Equal(3.0, snapshot.Quota!.Cpus);
    }

    [Fact]
    public void An_empty_root_gives_an_empty_snapshot_instead_of_an_exception()
    {
        var empty = Directory.CreateTempSubdirectory("grainmq-cgroup-empty-");
        try
        {
            var snapshot = new CgroupReader(empty.FullName).Read();

            Assert.Equal(CgroupMode.None, snapshot.Mode);
            Assert.Equal(Environment.ProcessorCount, snapshot.HostCpus);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
