using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GrainMQ.Runtime.Postgres;

/// <summary>
/// Grain state in PostgreSQL (<c>grainmq_grain_state</c>), one row per grain: the codec's bytes and a version that
/// increments on every write. Writes and clears are group-committed: callers queue them and
/// <see cref="PostgresStorageOptions.Writers"/> writer loops each take everything queued (up to
/// <see cref="PostgresStorageOptions.MaxBatch"/>) and execute it as one batch in one transaction, one round trip, one
/// commit (one WAL flush) for all. A write's task completes only after its batch committed: it is durable then. The
/// runtime never writes one grain concurrently, so a batch holds at most one operation per grain in the order asked.
/// </summary>
public sealed partial class PostgresGrainStorage : IGrainStorage, IGrainStateScanner, IAsyncDisposable
{
    private const string Upsert = """
        INSERT INTO grainmq_grain_state (deployment_id, grain_type, grain_key, state)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (deployment_id, grain_type, grain_key)
        DO UPDATE SET state = EXCLUDED.state, version = grainmq_grain_state.version + 1, updated_at = now()
        """;

    private const string Delete = "DELETE FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3";

    private const string Select = "SELECT state FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3";

    private const string Scan = "SELECT grain_key, state FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _deploymentId;
    private readonly PostgresStorageOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _writers;
    private long _batches;
    private long _operations;

    /// <summary>Creates the storage for <paramref name="deploymentId"/> and starts its writer loops.</summary>
    public PostgresGrainStorage(NpgsqlDataSource dataSource, string deploymentId, PostgresStorageOptions options, ILogger<PostgresGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentId);
        _dataSource = dataSource;
        _deploymentId = deploymentId;
        _options = options;
        _logger = logger;
        _writers = new Task[Math.Max(1, options.Writers)];
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i] = Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>How many batches were committed (for tests and metrics).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>How many writes and clears were committed.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Select);
        AddKey(command.Parameters, id);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is byte[] bytes ? new ReadOnlyMemory<byte>(bytes) : (ReadOnlyMemory<byte>?)null;
    }

    /// <inheritdoc />
    public Task WriteAsync(GrainId id, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) =>
        Enqueue(new PendingWrite(id, state.ToArray()));

    /// <inheritdoc />
    public Task ClearAsync(GrainId id, CancellationToken cancellationToken) => Enqueue(new PendingWrite(id, null));

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> ScanAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Scan);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _deploymentId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new KeyValuePair<string, ReadOnlyMemory<byte>>(reader.GetString(0), reader.GetFieldValue<byte[]>(1));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private Task Enqueue(PendingWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            write.Done.TrySetException(new ObjectDisposedException(nameof(PostgresGrainStorage)));
        }

        return write.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await ExecuteAsync(batch);
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _operations, batch.Count);
                foreach (var write in batch)
                {
                    write.Done.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogBatchFailed(_logger, ex, batch.Count);
                foreach (var write in batch)
                {
                    write.Done.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private async Task ExecuteAsync(List<PendingWrite> writes)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        // The statements of one batch go out in one round trip and run as one implicit transaction: one commit for all.
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand(write.State is null ? Delete : Upsert);
            AddKey(command.Parameters, write.Id);
            if (write.State is { } state)
            {
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = state });
            }

            npgsqlBatch.BatchCommands.Add(command);
        }

        await npgsqlBatch.ExecuteNonQueryAsync();
    }

    private void AddKey(NpgsqlParameterCollection parameters, GrainId id)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = _deploymentId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Type });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Key });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} grain state writes failed; their callers get the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class PendingWrite(GrainId id, byte[]? state)
    {
        public GrainId Id { get; } = id;

        public byte[]? State { get; } = state;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
