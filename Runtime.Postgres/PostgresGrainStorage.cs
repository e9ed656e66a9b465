using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GrainMQ.Runtime.Postgres;

/// <summary>
/// Grain state in PostgreSQL (<c>grainmq_grain_state</c>), one row per grain: the codec's bytes and a version (at least 1)
/// that increments on every write. Every write and clear is conditioned on the version its caller expects (see
/// <see cref="IGrainStorage"/>). They are group-committed: callers queue them and <see cref="PostgresStorageOptions.Writers"/>
/// writer loops each take everything queued (up to <see cref="PostgresStorageOptions.MaxBatch"/>) and execute it as one
/// batch in one transaction, one round trip, one commit (one WAL flush) for all. Each statement of a batch checks its own
/// row's version and returns a row only if it changed it, so a stale operation changes nothing and fails alone
/// (<see cref="InconsistentStateException"/>) while the others commit. A task completes only after its batch committed:
/// the write is durable then.
/// </summary>
public sealed partial class PostgresGrainStorage : IGrainStorage, IGrainStateScanner, IAsyncDisposable
{
    // Expected version 0: insert only if absent.
    private const string Insert = """
        INSERT INTO grainmq_grain_state (deployment_id, grain_type, grain_key, state, version)
        VALUES ($1, $2, $3, $4, 1)
        ON CONFLICT (deployment_id, grain_type, grain_key) DO NOTHING
        RETURNING version
        """;

    // A racing transaction that changed the row first makes this one wait for its commit and then re-check the
    // version (read committed), so of two writers expecting one version exactly one updates the row.
    private const string Update = """
        UPDATE grainmq_grain_state SET state = $4, version = version + 1, updated_at = now()
        WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3 AND version = $5
        RETURNING version
        """;

    private const string Delete = """
        DELETE FROM grainmq_grain_state
        WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3 AND version = $4
        RETURNING 0::bigint
        """;

    // A clear expecting nothing stored succeeds (changing nothing) only if nothing is stored.
    private const string ConfirmAbsent = """
        SELECT 0::bigint WHERE NOT EXISTS (
          SELECT 1 FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3)
        """;

    private const string Select = "SELECT state, version FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3";

    private const string SelectVersion = "SELECT version FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3";

    private const string Scan = "SELECT grain_key, state FROM grainmq_grain_state WHERE deployment_id = $1 AND grain_type = $2";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _deploymentId;
    private readonly PostgresStorageOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _writers;
    private long _batches;
    private long _operations;
    private long _conflicts;

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

    /// <summary>How many writes and clears were refused because the stored version was not the expected one.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <inheritdoc />
    public async Task<StoredGrainState?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Select);
        AddKey(command.Parameters, id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredGrainState(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1))
            : null;
    }

    /// <inheritdoc />
    public Task<long> WriteAsync(GrainId id, ReadOnlyMemory<byte> state, long expectedVersion, CancellationToken cancellationToken) =>
        Enqueue(new PendingWrite(id, state.ToArray(), expectedVersion));

    /// <inheritdoc />
    public Task ClearAsync(GrainId id, long expectedVersion, CancellationToken cancellationToken) =>
        Enqueue(new PendingWrite(id, null, expectedVersion));

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

    private Task<long> Enqueue(PendingWrite write)
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
                await using var connection = await _dataSource.OpenConnectionAsync();
                var committed = await ExecuteAsync(connection, batch);
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _operations, committed);
                await CompleteAsync(connection, batch);
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

    // Runs the batch (one round trip, one implicit transaction) and records each operation's new version, or -1 when
    // its version check failed. Returns how many changed their row; they are committed when this returns.
    private async Task<int> ExecuteAsync(NpgsqlConnection connection, List<PendingWrite> writes)
    {
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        foreach (var write in writes)
        {
            npgsqlBatch.BatchCommands.Add(CreateCommand(write));
        }

        var committed = 0;
        await using (var reader = await npgsqlBatch.ExecuteReaderAsync())
        {
            foreach (var write in writes)
            {
                if (await reader.ReadAsync())
                {
                    write.NewVersion = reader.GetInt64(0);
                    committed++;
                }

                await reader.NextResultAsync();
            }
        }

        return committed;
    }

    // After the commit: the winners' tasks complete with their new version, then each loser's fails with the version
    // stored now (one read per loser: conflicts are rare, and this keeps them off the batch's round trip).
    private async Task CompleteAsync(NpgsqlConnection connection, List<PendingWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.NewVersion >= 0)
            {
                write.Done.TrySetResult(write.NewVersion);
            }
        }

        foreach (var write in writes)
        {
            if (write.NewVersion < 0)
            {
                Interlocked.Increment(ref _conflicts);
                await using var command = new NpgsqlCommand(SelectVersion, connection);
                AddKey(command.Parameters, write.Id);
                var stored = await command.ExecuteScalarAsync() is long version ? version : 0;
                write.Done.TrySetException(new InconsistentStateException(write.Id, write.ExpectedVersion, stored));
            }
        }
    }

    private NpgsqlBatchCommand CreateCommand(PendingWrite write)
    {
        var command = new NpgsqlBatchCommand((write.State, write.ExpectedVersion) switch
        {
            (null, 0) => ConfirmAbsent,
            (null, _) => Delete,
            (_, 0) => Insert,
            _ => Update,
        });
        AddKey(command.Parameters, write.Id);
        if (write.State is { } state)
        {
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = state });
        }

        if (write.ExpectedVersion != 0)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
        }

        return command;
    }

    private void AddKey(NpgsqlParameterCollection parameters, GrainId id)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = _deploymentId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Type });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Key });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} grain state writes failed; their callers get the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class PendingWrite(GrainId id, byte[]? state, long expectedVersion)
    {
        public GrainId Id { get; } = id;

        /// <summary>The bytes to write, or null for a clear.</summary>
        public byte[]? State { get; } = state;

        public long ExpectedVersion { get; } = expectedVersion;

        /// <summary>Set by the batch: the version after the write (0 after a clear), or -1 when the check failed.</summary>
        public long NewVersion { get; set; } = -1;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
