namespace GrainMQ.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task Messages_from_one_sender_are_processed_in_arrival_order()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.Grain(SequenceGrain.Type, "ordered");

        for (var i = 0; i < 1000; i++)
        {
            grain.Tell(new Sequenced(0, i, Await: i % 7 == 0));
        }

        var observed = await grain.AskAsync<Observed>(new GetObserved()).WaitAsync(TestHost.Patience);
        Assert.Equal(Enumerable.Range(0, 1000), observed.Messages.Select(m => m.Number));
    }

    [Fact]
    public async Task Turns_of_one_activation_never_overlap_under_concurrent_senders()
    {
        const int Senders = 8;
        const int PerSender = 500;
        await using var host = await TestHost.StartAsync(options => options.SchedulerWorkers = 4);
        var grain = host.Grain(SequenceGrain.Type, "contended");
        using var start = new Barrier(Senders);

        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            start.SignalAndWait(TestHost.Patience);
            for (var i = 0; i < PerSender; i++)
            {
                var message = new Sequenced(sender, i, Await: i % 3 == 0);
                if (i % 10 == 0)
                {
                    await grain.AskAsync(message);
                }
                else
                {
                    grain.Tell(message);
                }
            }
        })).ToArray();
        await Task.WhenAll(senders).WaitAsync(TestHost.Patience);

        var observed = await grain.AskAsync<Observed>(new GetObserved()).WaitAsync(TestHost.Patience);
        Assert.Equal(0, observed.Overlaps);
        Assert.Equal(Senders * PerSender, observed.Messages.Count);
        for (var sender = 0; sender < Senders; sender++)
        {
            Assert.Equal(Enumerable.Range(0, PerSender), observed.Messages.Where(m => m.Sender == sender).Select(m => m.Number));
        }
    }

    [Fact]
    public async Task Different_activations_run_in_parallel_on_different_workers()
    {
        await using var host = await TestHost.StartAsync(options => options.SchedulerWorkers = 2);

        var a = host.Grain(ParallelismGrain.Type, "a").AskAsync<bool>(new Meet("b"));
        var b = host.Grain(ParallelismGrain.Type, "b").AskAsync<bool>(new Meet("a"));

        Assert.True(await a.WaitAsync(TestHost.Patience));
        Assert.True(await b.WaitAsync(TestHost.Patience));
    }

    [Fact]
    public async Task A_turn_that_awaits_frees_the_only_worker_but_holds_back_its_own_mailbox()
    {
        await using var host = await TestHost.StartAsync(options => options.SchedulerWorkers = 1);
        var waiting = host.Grain(GateGrain.Type, "waiting");

        var held = waiting.AskAsync<string>(new WaitForGate("open"));
        await host.Probe.Signal("open:entered").Task.WaitAsync(TestHost.Patience);
        var queuedBehind = waiting.AskAsync<string>(new Ping());

        Assert.Equal("pong", await host.Grain(GateGrain.Type, "other").AskAsync<string>(new Ping()).WaitAsync(TestHost.Patience));
        Assert.False(held.IsCompleted);
        Assert.False(queuedBehind.IsCompleted);

        host.Probe.Signal("open").SetResult();
        Assert.Equal("opened open", await held.WaitAsync(TestHost.Patience));
        Assert.Equal("pong", await queuedBehind.WaitAsync(TestHost.Patience));
    }

    [Fact]
    public async Task A_grain_awaits_another_grains_reply_inside_its_turn_on_one_worker()
    {
        await using var host = await TestHost.StartAsync(options => options.SchedulerWorkers = 1);

        var reply = await host.Grain(GateGrain.Type, "asker").AskAsync<string>(new PingOther("answerer")).WaitAsync(TestHost.Patience);

        Assert.Equal("relayed pong", reply);
    }

    [Fact]
    public async Task Grain_code_after_an_await_continues_on_a_scheduler_worker()
    {
        await using var host = await TestHost.StartAsync();

        var thread = await host.Grain(GateGrain.Type, "where").AskAsync<string>(new ThreadAfterAwait()).WaitAsync(TestHost.Patience);

        Assert.StartsWith("grain-worker-", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timer_callbacks_run_as_turns_and_never_overlap_messages()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.Grain(TimerGrain.Type, "ticking");
        var ticked = host.Probe.Signal("ticks:ticking").Task;

        var pingers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!ticked.IsCompleted)
            {
                await grain.AskAsync(new Ping());
            }
        })).ToArray();
        await ticked.WaitAsync(TestHost.Patience);
        await Task.WhenAll(pingers).WaitAsync(TestHost.Patience);

        var report = await grain.AskAsync<TimerReport>(new GetTimerReport()).WaitAsync(TestHost.Patience);
        Assert.Equal(0, report.Overlaps);
        Assert.True(report.Ticks >= TimerGrain.TicksWanted);
    }

    [Fact]
    public async Task A_grain_flooded_with_messages_does_not_starve_another_grain_on_one_worker()
    {
        const int FloodSize = 10_000;
        const int MaxTurnsPerSlice = 64;
        await using var host = await TestHost.StartAsync(options =>
        {
            options.SchedulerWorkers = 1;
            options.MaxTurnsPerSlice = MaxTurnsPerSlice;
        });

        // One turn of the driver queues the whole flood and then the witness, all before the only worker moves on.
        await host.Grain(FloodGrain.Type, "driver").AskAsync(new Flood("flooded", FloodSize, "witness")).WaitAsync(TestHost.Patience);
        await host.Probe.Signal("witness").Task.WaitAsync(TestHost.Patience);

        Assert.InRange(host.Probe.FloodProcessedAtWitness, 1, MaxTurnsPerSlice);
    }
}
