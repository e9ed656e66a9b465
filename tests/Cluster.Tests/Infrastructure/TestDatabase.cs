using Npgsql;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL the cluster tests run against: <c>GRAINMQ_TEST_POSTGRES</c>, or the database test.sh creates.
/// Every test uses its own deployment id, so tests never see each other's rows.
/// </summary>
public static class TestDatabase
{
    /// <summary>The environment variable holding the connection string.</summary>
    public const string EnvironmentVariable = "GRAINMQ_TEST_POSTGRES";

    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=grainmq;Password=grainmq;Database=grainmq_test";

    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(ConnectionString));

    /// <summary>The connection string to use.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>A data source shared by the tests of this process.</summary>
    public static NpgsqlDataSource DataSource => Shared.Value;

    /// <summary>A deployment id no other test uses.</summary>
    public static string NewDeploymentId(string name) => $"test-{name}-{Guid.NewGuid():N}";
}
