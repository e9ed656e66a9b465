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

    private TestBroker(ServiceProvider services, List<IHostedService> hostedServices)
    {
        _services = services;
        _hostedServices = hostedServices;
    }

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    public IObserverRegistry Observers => _services.GetRequiredService<IObserverRegistry>();

    public IRuntimeStatistics Statistics => _services.GetRequiredService<IRuntimeStatistics>();

    public IGrainStorage Storage => _services.GetRequiredService<IGrainStorage>();

    public BrokerCounters Counters => _services.GetRequiredService<BrokerCounters>();

    public TestClock Clock => (TestClock)_services.GetRequiredService<TimeProvider>();

    public Routing.SubscriptionIndex Index => _services.GetRequiredService<Routing.SubscriptionIndex>();

    public Sessions.SessionExpiryReminders ExpiryReminders => _services.GetRequiredService<Sessions.SessionExpiryReminders>();

    public static async Task<TestBroker> StartAsync(params (string Key, string Value)[] settings)
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
        services.AddGrainRuntime(options =>
        {
            options.SiloName = "test";
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

        return new TestBroker(provider, hostedServices);
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
