using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace GrainMQ.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Idle_activation_is_collected_with_its_state_stored_as_bytes_and_reactivated_from_storage()
    {
        await using var host = await TestHost.StartAsync();
        var id = new GrainId(CounterGrain.Type, "idle");
        var grain = host.Grains.GetGrain(id);
        var deactivated = host.NextDeactivation(id);

        for (var i = 0; i < 3; i++)
        {
            grain.Tell(new Increment());
        }

        Assert.Equal(3, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        Assert.Equal(1, host.Statistics.LiveActivations(CounterGrain.Type));

        host.Runtime.GrainTypes.SetIdleTimeout(CounterGrain.Type, TimeSpan.FromMilliseconds(200));
        Assert.Equal(DeactivationReason.IdleTimeout, await deactivated);
        Assert.Equal(0, host.Statistics.LiveActivations(CounterGrain.Type));
        var stored = await host.Storage.ReadAsync(id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("""{"Count":3}""", Encoding.UTF8.GetString(stored.Value.State.Span));
        Assert.Equal(1, host.Storage.Count);
        Assert.Equal(stored.Value.State.Length, host.Storage.TotalBytes);

        host.Runtime.GrainTypes.SetIdleTimeout(CounterGrain.Type, TimeSpan.FromMinutes(2));
        Assert.Equal(3, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        var statistics = host.StatisticsOf(CounterGrain.Type);
        Assert.Equal(2, statistics.Activations);
        Assert.Equal(1, statistics.Deactivations);
        Assert.Equal(1, statistics.Live);
    }

    [Fact]
    public async Task Timer_ticks_do_not_keep_an_idle_activation_alive()
    {
        await using var host = await TestHost.StartAsync();
        host.Runtime.GrainTypes.SetIdleTimeout(TimerGrain.Type, TimeSpan.FromMilliseconds(200));
        var id = new GrainId(TimerGrain.Type, "idle-ticker");
        var deactivated = host.NextDeactivation(id);

        await host.Grains.GetGrain(id).AskAsync(new Ping()).WaitAsync(TestHost.Patience);

        Assert.Equal(DeactivationReason.IdleTimeout, await deactivated);
        Assert.Equal(0, host.Statistics.LiveActivations(TimerGrain.Type));
    }

    [Fact]
    public async Task A_pending_keep_alive_timer_holds_off_idle_collection_until_it_has_fired()
    {
        await using var host = await TestHost.StartAsync();
        var id = new GrainId(KeepAliveGrain.Type, "timer");
        var deactivated = host.NextDeactivation(id);

        await host.Grains.GetGrain(id).AskAsync(new ArmKeepAliveTimer(DueMilliseconds: 600)).WaitAsync(TestHost.Patience);

        Assert.Equal(DeactivationReason.IdleTimeout, await deactivated);
        Assert.True(host.Probe.Signal("fired:timer").Task.IsCompleted, "the activation was collected before its keep-alive timer fired");
    }

    [Fact]
    public async Task KeepAliveFor_holds_off_idle_collection_for_the_duration()
    {
        await using var host = await TestHost.StartAsync();
        var id = new GrainId(KeepAliveGrain.Type, "duration");
        var deactivated = host.NextDeactivation(id);
        var started = Stopwatch.StartNew();

        await host.Grains.GetGrain(id).AskAsync(new KeepAlive(Milliseconds: 500)).WaitAsync(TestHost.Patience);

        Assert.Equal(DeactivationReason.IdleTimeout, await deactivated);
        // Without the keep-alive it would go after its 100 ms idle timeout; the margin covers the coarse tick clock.
        Assert.True(started.ElapsedMilliseconds >= 450, $"collected after {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Messages_arriving_while_an_activation_deactivates_go_to_a_new_activation_that_reads_the_written_state()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.Grain(CounterGrain.Type, "handover");
        var releaseDeactivation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Probe.DeactivationGate = releaseDeactivation.Task;
        grain.Tell(new Increment());
        grain.Tell(new Increment());
        Assert.Equal(2, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));

        grain.Tell(new DeactivateNow());
        await host.Probe.Signal("deactivating").Task.WaitAsync(TestHost.Patience);
        for (var i = 0; i < 5; i++)
        {
            grain.Tell(new Increment());
        }

        var count = grain.AskAsync<int>(new GetCount());
        Assert.False(count.IsCompleted);
        host.Probe.DeactivationGate = null;
        releaseDeactivation.SetResult();

        Assert.Equal(7, await count.WaitAsync(TestHost.Patience));
        Assert.Equal(2, host.StatisticsOf(CounterGrain.Type).Activations);
        Assert.Equal(1, host.Probe.MaxLiveInstancesOfOneGrain);
    }

    [Fact]
    public async Task Messages_racing_with_idle_collection_are_never_lost_and_activations_never_overlap()
    {
        const int Senders = 4;
        const int DeactivationsWanted = 30;
        await using var host = await TestHost.StartAsync(options => options.CollectionInterval = TimeSpan.FromMilliseconds(1));
        host.Runtime.GrainTypes.SetIdleTimeout(CounterGrain.Type, TimeSpan.Zero);
        var grain = host.Grain(CounterGrain.Type, "racing");
        var deactivations = 0;
        host.Statistics.Deactivated += (_, _) => Interlocked.Increment(ref deactivations);
        using var patience = new CancellationTokenSource(TestHost.Patience);

        // Round trips leave the mailbox empty for a moment, so collection keeps racing with the next message.
        var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            var sent = 0;
            while (Volatile.Read(ref deactivations) < DeactivationsWanted && !patience.IsCancellationRequested)
            {
                grain.Tell(new Increment());
                await grain.AskAsync(new Increment());
                sent += 2;
            }

            return sent;
        })).ToArray();
        var sent = (await Task.WhenAll(senders).WaitAsync(TestHost.Patience)).Sum();

        Assert.True(Volatile.Read(ref deactivations) >= DeactivationsWanted, $"only {deactivations} deactivations happened");
        Assert.Equal(sent, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        Assert.Equal(1, host.Probe.MaxLiveInstancesOfOneGrain);
    }

    [Fact]
    public async Task Failed_activation_fails_the_caller_and_the_next_message_activates_afresh()
    {
        await using var host = await TestHost.StartAsync();
        host.Probe.ActivationFailuresLeft = 1;
        var grain = host.Grain(FailingActivationGrain.Type, "flaky");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.AskAsync(new Ping()).WaitAsync(TestHost.Patience));
        Assert.Equal("activation failed on purpose", error.Message);
        Assert.Equal(0, host.Statistics.LiveActivations(FailingActivationGrain.Type));

        Assert.Equal("pong", await grain.AskAsync<string>(new Ping()).WaitAsync(TestHost.Patience));
        Assert.Equal(1, host.StatisticsOf(FailingActivationGrain.Type).Activations);
    }

    [Fact]
    public async Task StopAsync_deactivates_every_activation_and_writes_its_state()
    {
        await using var host = await TestHost.StartAsync();
        var reasons = new ConcurrentQueue<DeactivationReason>();
        host.Statistics.Deactivated += (_, reason) => reasons.Enqueue(reason);
        for (var i = 0; i < 5; i++)
        {
            var grain = host.Grain(CounterGrain.Type, "stopping-" + i);
            grain.Tell(new Increment());
            Assert.Equal(1, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        }

        using var timeout = new CancellationTokenSource(TestHost.Patience);
        await host.Runtime.StopAsync(timeout.Token);

        Assert.Equal(5, host.Storage.Count);
        Assert.Equal(Enumerable.Repeat(DeactivationReason.ShuttingDown, 5), reasons);
        Assert.Equal(0, host.Statistics.LiveActivations(CounterGrain.Type));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.Grain(CounterGrain.Type, "late").AskAsync(new GetCount()));
    }
}
