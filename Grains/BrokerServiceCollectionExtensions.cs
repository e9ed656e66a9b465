using GrainMQ.Grains.Cluster;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Options;
using GrainMQ.Grains.Retained;
using GrainMQ.Grains.Routing;
using GrainMQ.Grains.Sessions;
using GrainMQ.Grains.Sys;
using GrainMQ.Grains.Topics;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Reminders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Grains;

/// <summary>Registers GrainMQ's broker logic.</summary>
public static class BrokerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the session, topic and retained grain types with the grain runtime (call
    /// <c>AddGrainRuntime</c> too), binds <see cref="SessionOptions"/> (section <c>Session</c>) and
    /// <see cref="SysOptions"/> (section <c>Sys</c>), and adds the per-silo services: <see cref="SubscriptionIndex"/>,
    /// <see cref="RetainedIndex"/>, <see cref="MessageRouter"/>, <see cref="BrokerCounters"/>,
    /// <see cref="ConnectedClients"/>, <see cref="SessionExpiryReminders"/> (stored in the <see cref="IReminderTable"/> when
    /// one is registered, i.e. in a cluster) and the $SYS publisher.
    /// </summary>
    public static IServiceCollection AddGrainMqBroker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var sessionSection = configuration.GetSection(SessionOptions.SectionName);
        var sessionOptions = sessionSection.Get<SessionOptions>() ?? new SessionOptions();
        if (sessionOptions.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        services.AddOptions<SessionOptions>().Bind(sessionSection).Validate(static o => o.Validate() is null, "Invalid Session options");
        services.AddOptions<SysOptions>().Bind(configuration.GetSection(SysOptions.SectionName))
            .Validate(static o => o.Interval > TimeSpan.Zero, "Sys:Interval must be positive");

        services.AddGrain<SessionGrain>(GrainTypes.Session, sessionOptions.IdleTimeout);
        services.AddGrain<TopicGrain>(GrainTypes.Topic);
        services.AddGrain<RetainedMessageGrain>(GrainTypes.Retained);
        services.AddSingleton<IStateCodec<SessionState>, CompactJsonStateCodec<SessionState>>();
        services.AddSingleton<IStateCodec<TopicState>, CompactJsonStateCodec<TopicState>>();
        services.AddSingleton<IStateCodec<RetainedState>, CompactJsonStateCodec<RetainedState>>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConnectedClients>();
        services.TryAddSingleton(static sp => new RemoteConnections(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IObserverRegistry>(),
            sp.GetService<IRemoteProcessMonitor>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ConnectionLostConcurrency,
            sp.GetRequiredService<ILogger<RemoteConnections>>()));
        services.TryAddSingleton<BrokerCounters>();
        services.TryAddSingleton<SubscriptionIndex>();
        services.TryAddSingleton<RetainedIndex>();
        services.TryAddSingleton<MessageRouter>();
        services.TryAddSingleton(static sp => new SessionExpiryReminders(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IReminderTable>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ReminderPollInterval,
            sp.GetRequiredService<ILogger<SessionExpiryReminders>>()));
        services.AddSingleton<IReminderReceiver>(static sp => sp.GetRequiredService<SessionExpiryReminders>());
        services.TryAddSingleton<IndexReplicator>();
        services.AddSingleton<IClusterMessageHandler>(static sp => sp.GetRequiredService<IndexReplicator>());
        services.AddSingleton<IClusterStartupTask, IndexLoader>();
        services.AddClusterMessageTypes(static o => o
            .AddType<SubscriptionIndexChanged>("index.subscription")
            .AddType<RetainedIndexChanged>("index.retained")
            .AddType<ExpireSession>("session.expire"));
        services.AddHostedService<SysTopicPublisher>();
        return services;
    }
}
