using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Gateway.Cluster;

/// <summary>
/// The cluster wiring shared by the two processes: a silo (which co-hosts a gateway) and a gateway process. Both read
/// the <c>Cluster</c> section; without <c>Cluster:ConnectionString</c> there is no cluster (single node, in memory).
/// </summary>
public static class ClusterSetup
{
    /// <summary>True when <c>Cluster:ConnectionString</c> is set.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{ClusterOptions.SectionName}:{nameof(ClusterOptions.ConnectionString)}"]);
    }

    /// <summary>
    /// Joins the PostgreSQL cluster as <paramref name="role"/>: membership, silo transport, grain state in PostgreSQL
    /// (silos; settings <c>Cluster:Storage:Writers</c> and <c>Cluster:Storage:MaxBatch</c>) and the broker's message
    /// types on the wire. Call after <c>AddGrainRuntime</c>.
    /// </summary>
    public static IServiceCollection AddGrainMqCluster(this IServiceCollection services, IConfiguration configuration, ClusterRole role)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ClusterOptions.SectionName);
        var storage = section.GetSection("Storage").Get<PostgresStorageOptions>() ?? new PostgresStorageOptions();
        services.AddClusterMessageTypes(BrokerMessageTypes.Register);
        return services.AddPostgresCluster(
            role,
            options =>
            {
                section.Bind(options);
                if (role == ClusterRole.Silo && options.GatewayPort == 0)
                {
                    options.GatewayPort = configuration.GetValue<int>("Mqtt:Tcp:Port");
                }
            },
            storage);
    }
}
