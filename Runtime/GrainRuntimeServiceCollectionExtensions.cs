using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime;

/// <summary>Registers the grain runtime and grain types.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GrainRuntime"/> (also as <see cref="IGrainFactory"/>, <see cref="IObserverRegistry"/>,
    /// <see cref="IRuntimeStatistics"/>, <see cref="IGrainScheduler"/>, <see cref="IGrainTypeRegistry"/> and a hosted
    /// service) and <see cref="InMemoryGrainStorage"/> as <see cref="IGrainStorage"/> unless a storage is registered.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<RuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RuntimeOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<IGrainStorage, InMemoryGrainStorage>();
        services.TryAddSingleton<Cluster.IClusterBroadcast, Cluster.LocalClusterBroadcast>();
        services.TryAddSingleton(static sp => new GrainRuntime(
            sp.GetRequiredService<IOptions<RuntimeOptions>>().Value,
            sp.GetServices<GrainTypeRegistration>(),
            sp.GetRequiredService<IGrainStorage>(),
            sp,
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IGrainFactory>(static sp => sp.GetRequiredService<GrainRuntime>());
        services.TryAddSingleton(static sp => sp.GetRequiredService<GrainRuntime>().Observers);
        services.TryAddSingleton(static sp => sp.GetRequiredService<GrainRuntime>().Statistics);
        services.TryAddSingleton(static sp => sp.GetRequiredService<GrainRuntime>().Scheduler);
        services.TryAddSingleton(static sp => sp.GetRequiredService<GrainRuntime>().GrainTypes);
        services.AddHostedService(static sp => sp.GetRequiredService<GrainRuntime>());
        return services;
    }

    /// <summary>
    /// Registers grain class <typeparamref name="TGrain"/> under the stable type name <paramref name="type"/>. Each
    /// activation gets a new instance built through dependency injection. <paramref name="idleTimeout"/> defaults to
    /// <see cref="RuntimeOptions.DefaultIdleTimeout"/>.
    /// </summary>
    public static IServiceCollection AddGrain<TGrain>(this IServiceCollection services, string type, TimeSpan? idleTimeout = null)
        where TGrain : Grain
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (idleTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "The idle timeout must not be negative.");
        }

        services.AddSingleton(new GrainTypeRegistration(type, typeof(TGrain), idleTimeout));
        return services;
    }
}

internal sealed record GrainTypeRegistration(string Type, Type GrainClass, TimeSpan? IdleTimeout);
