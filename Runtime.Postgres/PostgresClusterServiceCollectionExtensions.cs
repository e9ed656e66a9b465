using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GrainMQ.Runtime.Postgres;

/// <summary>Wires a cluster on PostgreSQL: membership table, grain storage and the cluster runtime.</summary>
public static class PostgresClusterServiceCollectionExtensions
{
    /// <summary>
    /// Makes this process a member (<see cref="ClusterRole.Silo"/>) or a gateway client (<see cref="ClusterRole.Client"/>)
    /// of the cluster whose membership table is in the PostgreSQL database of <see cref="ClusterOptions.ConnectionString"/>.
    /// A silo also stores grain state there (<see cref="PostgresGrainStorage"/>, replacing any registered storage) and
    /// its reminders (<see cref="PostgresReminderTable"/>).
    /// Call after <c>AddGrainRuntime</c>.
    /// </summary>
    public static IServiceCollection AddPostgresCluster(
        this IServiceCollection services,
        ClusterRole role,
        Action<ClusterOptions> configure,
        PostgresStorageOptions? storage = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var cluster = new ClusterOptions();
        configure(cluster);
        if (string.IsNullOrWhiteSpace(cluster.ConnectionString))
        {
            throw new InvalidOperationException("Cluster:ConnectionString is required for a cluster.");
        }

        var connectionString = cluster.ConnectionString;
        var deploymentId = cluster.DeploymentId;
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<IMembershipTable>(sp => new PostgresMembershipTable(sp.GetRequiredService<NpgsqlDataSource>(), deploymentId));
        if (role == ClusterRole.Silo)
        {
            var storageOptions = storage ?? new PostgresStorageOptions();
            services.TryAddSingleton(sp => new PostgresGrainStorage(
                sp.GetRequiredService<NpgsqlDataSource>(),
                deploymentId,
                storageOptions,
                sp.GetRequiredService<ILogger<PostgresGrainStorage>>()));
            services.Replace(ServiceDescriptor.Singleton<IGrainStorage>(static sp => sp.GetRequiredService<PostgresGrainStorage>()));
            services.TryAddSingleton<IReminderTable>(sp => new PostgresReminderTable(sp.GetRequiredService<NpgsqlDataSource>(), deploymentId));
        }

        return services.AddGrainCluster(role, configure);
    }
}
