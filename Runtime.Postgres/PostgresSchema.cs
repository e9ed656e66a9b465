using Npgsql;

namespace GrainMQ.Runtime.Postgres;

/// <summary>
/// Applies <c>Schema/grainmq-postgres.sql</c> (embedded) idempotently. Processes starting at the same time serialise on a
/// transaction-scoped advisory lock, because concurrent <c>CREATE TABLE IF NOT EXISTS</c> can still collide in the catalog.
/// </summary>
public static class PostgresSchema
{
    private const long AdvisoryLockKey = 0x4772_6169_6E4D_51; // "GrainMQ"

    /// <summary>The schema script as shipped.</summary>
    public static string Script { get; } = LoadScript();

    /// <summary>Creates the tables that do not exist yet.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var schema = new NpgsqlCommand(Script, connection, transaction))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string LoadScript()
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream("grainmq-postgres.sql")
            ?? throw new InvalidOperationException("The embedded schema grainmq-postgres.sql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
