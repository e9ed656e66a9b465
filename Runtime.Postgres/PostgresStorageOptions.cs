namespace GrainMQ.Runtime.Postgres;

/// <summary>Settings of the PostgreSQL grain storage (configuration section <c>Cluster:Storage</c>).</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>Writer loops, each committing one batch at a time (concurrent batches use separate connections).</summary>
    public int Writers { get; set; } = 2;

    /// <summary>The most writes one batch (one transaction, one commit) carries.</summary>
    public int MaxBatch { get; set; } = 256;
}
