using System.Collections.Concurrent;

namespace GrainMQ.Runtime.Tests;

public sealed class CallTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exception_thrown_by_a_turn_reaches_the_caller_and_the_activation_keeps_working(bool afterAwait)
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.Grain(CounterGrain.Type, "thrower");
        grain.Tell(new Increment());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.AskAsync(new Fail("boom", afterAwait)).WaitAsync(TestHost.Patience));

        Assert.Equal("boom", error.Message);
        Assert.Equal(1, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
        Assert.Equal(1, host.StatisticsOf(CounterGrain.Type).Activations);
    }

    [Fact]
    public async Task One_way_message_that_throws_does_not_stop_later_messages()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.Grain(CounterGrain.Type, "tell-thrower");

        grain.Tell(new Fail("ignored", AfterAwait: true));
        grain.Tell(new Increment());

        Assert.Equal(1, await grain.AskAsync<int>(new GetCount()).WaitAsync(TestHost.Patience));
    }

    [Fact]
    public async Task Ask_without_a_reply_within_the_response_timeout_fails_with_TimeoutException()
    {
        await using var host = await TestHost.StartAsync(options => options.ResponseTimeout = TimeSpan.FromMilliseconds(200));
        var grain = host.Grain(GateGrain.Type, "slow");

        await Assert.ThrowsAsync<TimeoutException>(() => grain.AskAsync(new WaitForGate("never")).WaitAsync(TestHost.Patience));

        host.Probe.Signal("never").SetResult();
    }

    [Fact]
    public async Task Ask_is_canceled_by_the_callers_token()
    {
        await using var host = await TestHost.StartAsync();
        var grain = host.Grain(GateGrain.Type, "cancelled");
        using var cancellation = new CancellationTokenSource();

        var ask = grain.AskAsync(new WaitForGate("later"), cancellation.Token);
        await host.Probe.Signal("later:entered").Task.WaitAsync(TestHost.Patience);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask.WaitAsync(TestHost.Patience));
        host.Probe.Signal("later").SetResult();
    }

    [Fact]
    public async Task Ask_to_an_unregistered_grain_type_fails()
    {
        await using var host = await TestHost.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Grain("unknown", "x").AskAsync(new Ping()));

        Assert.Contains("not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typed_ask_with_a_reply_of_another_type_throws_InvalidCastException()
    {
        await using var host = await TestHost.StartAsync();

        await Assert.ThrowsAsync<InvalidCastException>(() => host.Grain(CounterGrain.Type, "typed").AskAsync<string>(new GetCount()));
    }

    [Fact]
    public async Task Observer_tell_reaches_a_registered_observer_and_returns_false_once_it_is_gone()
    {
        await using var host = await TestHost.StartAsync();
        var notifier = host.Grain(NotifierGrain.Type, "n");
        var observer = new RecordingObserver();

        Assert.False(await notifier.AskAsync<bool>(new NotifyObserver(new ObserverId("test-silo", 12345), "nobody")).WaitAsync(TestHost.Patience));

        var id = host.Observers.Register(observer);
        Assert.Equal("test-silo", id.Silo);
        Assert.True(await notifier.AskAsync<bool>(new NotifyObserver(id, "hello")).WaitAsync(TestHost.Patience));
        Assert.Equal(["hello"], observer.Received);
        Assert.False(observer.SawSynchronizationContext);

        host.Observers.Unregister(id);
        Assert.False(await notifier.AskAsync<bool>(new NotifyObserver(id, "gone")).WaitAsync(TestHost.Patience));
        Assert.False(host.Grains.GetObserver(id with { Silo = "other-silo" }).Tell("elsewhere"));
        Assert.Single(observer.Received);
    }

    [Fact]
    public void Grain_id_prints_as_type_slash_key()
    {
        Assert.Equal("session/client-1", new GrainId("session", "client-1").ToString());
    }

    private sealed class RecordingObserver : IGrainObserver
    {
        private readonly ConcurrentQueue<object> _received = new();

        public IReadOnlyCollection<object> Received => _received;

        public bool SawSynchronizationContext { get; private set; }

        public void Receive(object message)
        {
            SawSynchronizationContext |= SynchronizationContext.Current is not null;
            _received.Enqueue(message);
        }
    }
}
