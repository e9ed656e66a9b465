using GrainMQ.Cluster.Tests.Infrastructure;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Postgres;

namespace GrainMQ.Cluster.Tests;

public sealed class ClusterMembershipTests
{
    // The documented bound for a crashed silo: MissedProbesLimit x ProbeInterval (3 s) + a table write and read (1 s),
    // with slack for a loaded 2-core CI machine.
    private static readonly TimeSpan DeathDeclarationBound = TimeSpan.FromSeconds(10);

    // Every process reads the table at once when a committed change is notified; the slack is for a loaded machine.
    private static readonly TimeSpan ViewChangeTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_silos_join_and_both_become_active()
    {
        var deployment = TestDatabase.NewDeploymentId("join");
        await using var a = await InProcessSilo.StartAsync(deployment, "a");
        await using var b = await InProcessSilo.StartAsync(deployment, "b");

        var snapshot = await new MembershipProbe(deployment).ReadAsync();
        Assert.Equal(2, snapshot.Entries.Count);
        Assert.All(snapshot.Entries, e => Assert.Equal(SiloStatus.Active, e.Status));
        Assert.Contains(snapshot.Entries, e => e.Address == a.Address && e.SiloName == a.Name);
        Assert.Contains(snapshot.Entries, e => e.Address == b.Address && e.SiloName == b.Name);
    }

    [Fact]
    public async Task A_silo_reads_the_table_as_soon_as_another_writer_commits_a_change()
    {
        var deployment = TestDatabase.NewDeploymentId("notified");
        // No periodic read and no peer to announce anything: only the table's notification can tell the silo.
        await using var a = await InProcessSilo.StartAsync(deployment, "a", o => o.TableRefreshInterval = TimeSpan.FromHours(1));
        var table = new PostgresMembershipTable(TestDatabase.DataSource, deployment);
        var stranger = new SiloAddress("127.0.0.1", 1, 1);
        var now = DateTimeOffset.UtcNow;

        Assert.True(await table.InsertAsync(
            new MembershipEntry(stranger, "stranger", "elsewhere", SiloStatus.Dead, 0, [], now, now), (await table.ReadAllAsync(default)).Version, default));

        await WaitForViewAsync(a, v => v.Find(stranger) is not null);
    }

    [Fact]
    public async Task Each_grain_has_one_activation_in_the_cluster_whichever_silo_calls_it()
    {
        var deployment = TestDatabase.NewDeploymentId("placement");
        await using var a = await InProcessSilo.StartAsync(deployment, "a");
        await using var b = await InProcessSilo.StartAsync(deployment, "b");
        await WaitUntilBothSeeBothAsync(a, b);

        var silosUsed = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var fromA = await a.Grains.GetGrain("counter", $"c{i}").AskAsync<Counted>(new Add(1));
            var fromB = await b.Grains.GetGrain("counter", $"c{i}").AskAsync<Counted>(new Add(1));
            Assert.Equal(2, fromB.Total);
            Assert.Equal(fromA.Silo, fromB.Silo);
            silosUsed.Add(fromA.Silo);
        }

        Assert.Equal(2, silosUsed.Count);
        Assert.Equal(40, a.Runtime.Statistics.LiveActivations("counter") + b.Runtime.Statistics.LiveActivations("counter"));
    }

    [Fact]
    public async Task A_silo_that_leaves_gracefully_hands_its_grains_over_with_their_state()
    {
        var deployment = TestDatabase.NewDeploymentId("leave");
        await using var a = await InProcessSilo.StartAsync(deployment, "a");
        var b = await InProcessSilo.StartAsync(deployment, "b");
        await WaitUntilBothSeeBothAsync(a, b);
        for (var i = 0; i < 20; i++)
        {
            await a.Grains.GetGrain("counter", $"c{i}").AskAsync<Counted>(new Add(5));
        }

        var bAddress = b.Address;
        await b.StopAsync();
        await b.DisposeAsync();

        Assert.Equal(SiloStatus.Dead, (await new MembershipProbe(deployment).ReadAsync()).Find(bAddress)!.Status);
        await WaitForViewAsync(a, v => !v.Ring.Contains(bAddress));
        for (var i = 0; i < 20; i++)
        {
            var counted = await a.Grains.GetGrain("counter", $"c{i}").AskAsync<Counted>(new Add(1));
            Assert.Equal(6, counted.Total);
            Assert.Equal(a.Name, counted.Silo);
        }
    }

    [Fact]
    public async Task A_crashed_silo_is_declared_dead_within_the_documented_time_and_its_grains_move()
    {
        var deployment = TestDatabase.NewDeploymentId("crash");
        await using var a = await InProcessSilo.StartAsync(deployment, "a");
        await using var b = await InProcessSilo.StartAsync(deployment, "b");
        await WaitUntilBothSeeBothAsync(a, b);
        var onB = new List<string>();
        for (var i = 0; onB.Count < 5; i++)
        {
            var counted = await a.Grains.GetGrain("counter", $"c{i}").AskAsync<Counted>(new Add(1));
            if (counted.Silo == b.Name)
            {
                onB.Add($"c{i}");
            }
        }

        await b.CrashAsync();
        var took = await new MembershipProbe(deployment).WaitForStatusAsync(b.Address, SiloStatus.Dead, DeathDeclarationBound);

        Assert.True(took < DeathDeclarationBound, $"declared dead after {took}");
        await WaitForViewAsync(a, v => v.IsDead(b.Address));
        foreach (var key in onB)
        {
            var counted = await a.Grains.GetGrain("counter", key).AskAsync<Counted>(new Add(1));
            Assert.Equal(2, counted.Total);
            Assert.Equal(a.Name, counted.Silo);
        }
    }

    [Fact]
    public async Task A_silo_declared_dead_stops_serving_and_cannot_come_back_under_its_generation()
    {
        var deployment = TestDatabase.NewDeploymentId("stale");
        await using var a = await InProcessSilo.StartAsync(deployment, "a");
        await using var b = await InProcessSilo.StartAsync(deployment, "b");
        await WaitUntilBothSeeBothAsync(a, b);

        // A votes B dead (with two active silos one vote suffices), as it would after B stopped answering probes.
        await a.Cluster.Agent.SuspectAsync(b.Address, default);
        await b.Cluster.Terminated.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(await b.Cluster.Agent.SetStatusAsync(SiloStatus.Active, default));
        Assert.Equal(SiloStatus.Dead, (await new MembershipProbe(deployment).ReadAsync()).Find(b.Address)!.Status);
        await WaitForViewAsync(a, v => v.IsDead(b.Address));
        var refused = new Runtime.Transport.HelloInfo(b.Name, ClusterRole.Silo, b.Address);
        Assert.False(a.MessageCenter.Admit(refused));
        await Assert.ThrowsAsync<InvalidOperationException>(() => b.Grains.GetGrain("counter", "x").AskAsync(new Add(1)));
    }

    [Fact]
    public async Task A_request_to_a_silo_that_is_gone_fails_with_a_clear_error()
    {
        var deployment = TestDatabase.NewDeploymentId("gone");
        await using var a = await InProcessSilo.StartAsync(deployment, "a", o => o.MissedProbesLimit = 1000);
        await using var b = await InProcessSilo.StartAsync(deployment, "b", o => o.MissedProbesLimit = 1000);
        await WaitUntilBothSeeBothAsync(a, b);
        string? keyOnB = null;
        for (var i = 0; keyOnB is null; i++)
        {
            if ((await a.Grains.GetGrain("counter", $"c{i}").AskAsync<Counted>(new Add(1))).Silo == b.Name)
            {
                keyOnB = $"c{i}";
            }
        }

        await b.CrashAsync();

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(async () =>
        {
            // The first call may still find the link up and fail when it breaks; a later one fails at once.
            for (var attempt = 0; attempt < 100; attempt++)
            {
                await a.Grains.GetGrain("counter", keyOnB).AskAsync(new Add(1));
            }
        });
        Assert.Contains(b.Address.ToString(), error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntilBothSeeBothAsync(InProcessSilo a, InProcessSilo b)
    {
        await WaitForViewAsync(a, v => v.Ring.Members.Count == 2);
        await WaitForViewAsync(b, v => v.Ring.Members.Count == 2);
    }

    // The silo's message center raises ViewChanged whenever it replaces its view: the condition is checked on the
    // current view once subscribed, then on each new one.
    private static async Task WaitForViewAsync(InProcessSilo silo, Func<MembershipView, bool> condition)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnViewChanged(MembershipView view)
        {
            if (condition(view))
            {
                reached.TrySetResult();
            }
        }

        silo.MessageCenter.ViewChanged += OnViewChanged;
        try
        {
            OnViewChanged(silo.MessageCenter.View);
            await reached.Task.WaitAsync(ViewChangeTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the view of {silo.Name} did not change as expected within {ViewChangeTimeout}; it is {silo.MessageCenter.View.Version}: [{string.Join(", ", silo.MessageCenter.View.Snapshot.Entries)}]");
        }
        finally
        {
            silo.MessageCenter.ViewChanged -= OnViewChanged;
        }
    }
}
