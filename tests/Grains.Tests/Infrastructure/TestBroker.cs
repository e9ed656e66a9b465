using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GrainMQ.Grains.Tests.Infrastructure;

/// <summary>The broker's grains on a real, started grain runtime, in the test process.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hostedServices;
    private readonly string _siloName;
    private readonly (string Key, string Value)[] _settings;

    private TestBroker(ServiceProvider services, List<IHostedService> hostedServices, string siloName, (string Key, string Value)[] settings)
    {
        _services = services;
        _hostedServices = hostedServices;
        _siloName = siloName;
        _settings = settings;
    }

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    public IObserverRegistry Observers => _services.GetRequiredService<IObserverRegistry>();

    public IRuntimeStatistics Statistics => _services.GetRequiredService<IRuntimeStatistics>();

    public IGrainStorage Storage => _services.GetRequiredService<IGrainStorage>();

    public BrokerCounters Counters => _services.GetRequiredService<BrokerCounters>();

    public TestClock Clock => (TestClock)_services.GetRequiredService<TimeProvider>();

    public Routing.SubscriptionIndex Index => _services.GetRequiredService<Routing.SubscriptionIndex>();

    public Sessions.SessionExpiryReminders ExpiryReminders => _services.GetRequiredService<Sessions.SessionExpiryReminders>();

    public static Task<TestBroker> StartAsync(params (string Key, string Value)[] settings) =>
        StartAsync("test", new InMemoryGrainStorage(), settings);

    /// <summary>
    /// What a silo that crashes now leaves behind: a new broker with the same settings over a copy of what this one has
    /// stored for the sessions of <paramref name="clientIds"/> (nothing held only in memory carries over). It has
    /// another silo name, so no connection id of this broker is ever reused; this broker goes on untouched.
    /// </summary>
    public async Task<TestBroker> RestartAfterCrashAsync(params string[] clientIds)
    {
        var storage = new InMemoryGrainStorage();
        foreach (var clientId in clientIds)
        {
            var id = new GrainId(GrainTypes.Session, clientId);
            if (await Storage.ReadAsync(id, default) is { } stored)
            {
                await storage.WriteAsync(id, stored.State, expectedVersion: 0, default);
            }
        }

        return await StartAsync(_siloName + "-restarted", storage, _settings);
    }

    private static async Task<TestBroker> StartAsync(string siloName, IGrainStorage storage, (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Sys:Enabled"] = "false" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new TestClock());
        services.AddSingleton(storage);
        services.AddGrainRuntime(options =>
        {
            options.SiloName = siloName;
            options.SchedulerWorkers = 2;
            options.CollectionInterval = TimeSpan.FromMilliseconds(50);
            options.ResponseTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddGrainMqBroker(configuration);
        var provider = services.BuildServiceProvider();
        var hostedServices = provider.GetServices<IHostedService>().ToList();
        foreach (var hostedService in hostedServices)
        {
            await hostedService.StartAsync(CancellationToken.None);
        }

        return new TestBroker(provider, hostedServices, siloName, settings);
    }

    public TestClient CreateClient(string clientId) => new(this, clientId);

    /// <summary>Completes when the grain <paramref name="type"/>/<paramref name="key"/> is next deactivated.</summary>
    public Task WhenDeactivated(string type, string key)
    {
        var id = new GrainId(type, key);
        var deactivated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDeactivated(GrainId grain, DeactivationReason reason)
        {
            if (grain == id)
            {
                Statistics.Deactivated -= OnDeactivated;
                deactivated.TrySetResult();
            }
        }

        Statistics.Deactivated += OnDeactivated;
        return deactivated.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _hostedServices.Count - 1; i >= 0; i--)
        {
            await _hostedServices[i].StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
