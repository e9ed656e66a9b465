using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime.Cluster;

/// <summary>Registers the cluster runtime: membership, transport, placement and the message types that cross silos.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Makes this process a cluster member (<see cref="ClusterRole.Silo"/>) or a gateway client of the cluster
    /// (<see cref="ClusterRole.Client"/>). Call after <c>AddGrainRuntime</c>; an <see cref="IMembershipTable"/> must be
    /// registered (e.g. by <c>AddPostgresCluster</c>). The runtime's <see cref="RuntimeOptions.SiloName"/> gets the
    /// process generation appended, so that observer ids of a previous incarnation never match this one's.
    /// </summary>
    public static IServiceCollection AddGrainCluster(this IServiceCollection services, ClusterRole role, Action<ClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var generation = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        services.AddOptions<ClusterOptions>().Configure(configure).Validate(static o => o.Validate() is null, "Invalid Cluster options");
        services.AddOptions<RuntimeOptions>().PostConfigure(o => o.SiloName = $"{o.SiloName}.{generation}");
        services.AddOptions<ClusterSerializationOptions>();
        services.TryAddSingleton(static sp => sp.GetRequiredService<IOptions<ClusterOptions>>().Value);
        services.TryAddSingleton(sp => new ClusterIdentity(role, sp.GetRequiredService<IOptions<RuntimeOptions>>().Value.SiloName, generation));
        services.TryAddSingleton(static sp => new ClusterMessageCenter(
            sp.GetRequiredService<ClusterOptions>(),
            sp.GetRequiredService<ClusterIdentity>(),
            sp.GetRequiredService<IOptions<ClusterSerializationOptions>>().Value,
            sp.GetServices<IClusterMessageHandler>,
            sp.GetRequiredService<ILogger<ClusterMessageCenter>>()));
        services.Replace(ServiceDescriptor.Singleton<IClusterBroadcast, ClusterBroadcastService>());
        if (role == ClusterRole.Silo)
        {
            services.AddSingleton<ClusterSiloService>();
            services.AddHostedService(static sp => sp.GetRequiredService<ClusterSiloService>());
            services.TryAddSingleton<IRemoteProcessMonitor>(static sp => sp.GetRequiredService<ClusterMessageCenter>().Processes);
            services.AddHostedService(static sp => new ReminderPollService(
                sp.GetRequiredService<ClusterOptions>(),
                sp.GetRequiredService<ClusterMessageCenter>(),
                sp.GetService<IReminderTable>(),
                sp.GetServices<IReminderReceiver>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<ReminderPollService>>()));
        }
        else
        {
            services.AddSingleton<ClusterClientService>();
            services.AddHostedService(static sp => sp.GetRequiredService<ClusterClientService>());
        }

        return services;
    }

    /// <summary>Registers message types (and JSON contract modifiers) that may cross process boundaries.</summary>
    public static IServiceCollection AddClusterMessageTypes(this IServiceCollection services, Action<ClusterSerializationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ClusterSerializationOptions>().Configure(configure);
        return services;
    }
}
