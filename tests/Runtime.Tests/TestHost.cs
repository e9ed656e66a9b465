using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Runtime.Tests;

/// <summary>A real service provider with a started grain runtime; disposing stops the runtime gracefully.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    /// <summary>How long any test waits for a signal before failing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ServiceProvider _services;

    private TestHost(ServiceProvider services)
    {
        _services = services;
        Runtime = services.GetRequiredService<GrainRuntime>();
        Grains = services.GetRequiredService<IGrainFactory>();
        Statistics = services.GetRequiredService<IRuntimeStatistics>();
        Scheduler = services.GetRequiredService<IGrainScheduler>();
        Observers = services.GetRequiredService<IObserverRegistry>();
        Probe = services.GetRequiredService<Probe>();
    }

    public GrainRuntime Runtime { get; }

    public IGrainFactory Grains { get; }

    public IRuntimeStatistics Statistics { get; }

    public IGrainScheduler Scheduler { get; }

    public IObserverRegistry Observers { get; }

    public Probe Probe { get; }

    public InMemoryGrainStorage Storage => (InMemoryGrainStorage)_services.GetRequiredService<IGrainStorage>();

    public static async Task<TestHost> StartAsync(Action<RuntimeOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Probe>();
        services.AddGrainRuntime(options =>
        {
            options.SiloName = "test-silo";
            options.SchedulerWorkers = 2;
            options.CollectionInterval = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(options);
        });
        services.AddGrain<CounterGrain>(CounterGrain.Type);
        services.AddGrain<SequenceGrain>(SequenceGrain.Type);
        services.AddGrain<GateGrain>(GateGrain.Type);
        services.AddGrain<ParallelismGrain>(ParallelismGrain.Type);
        services.AddGrain<TimerGrain>(TimerGrain.Type);
        services.AddGrain<FloodGrain>(FloodGrain.Type);
        services.AddGrain<FailingActivationGrain>(FailingActivationGrain.Type);
        services.AddGrain<NotifierGrain>(NotifierGrain.Type);
        services.AddGrain<KeepAliveGrain>(KeepAliveGrain.Type, idleTimeout: TimeSpan.FromMilliseconds(100));
        register?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var host = new TestHost(provider);
        await host.Runtime.StartAsync(CancellationToken.None);
        return host;
    }

    public GrainReference Grain(string type, string key) => Grains.GetGrain(type, key);

    /// <summary>A task that completes with the next deactivation of <paramref name="id"/>.</summary>
    public Task<DeactivationReason> NextDeactivation(GrainId id)
    {
        var deactivated = new TaskCompletionSource<DeactivationReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(GrainId deactivatedId, DeactivationReason reason)
        {
            if (deactivatedId == id && deactivated.TrySetResult(reason))
            {
                Statistics.Deactivated -= Handler;
            }
        }

        Statistics.Deactivated += Handler;
        return deactivated.Task.WaitAsync(Patience);
    }

    public GrainTypeStatistics StatisticsOf(string grainType)
    {
        foreach (var statistics in Statistics.Snapshot())
        {
            if (statistics.GrainType == grainType)
            {
                return statistics;
            }
        }

        throw new InvalidOperationException($"No statistics for {grainType}.");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await Runtime.StopAsync(timeout.Token);
        await _services.DisposeAsync();
    }
}
