using System.Threading.Channels;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Reminders;
using Npgsql;
using NpgsqlTypes;

namespace GrainMQ.Runtime.Postgres;

/// <summary>
/// Reminders in PostgreSQL (<c>grainmq_reminders</c>): one row per grain of a deployment with its placement hash and
/// due time. Upserts and deletes (by primary key) are group-committed like grain state: callers queue them, one writer
/// loop takes everything queued (up to <see cref="MaxBatch"/>) and runs it as one batch, one round trip, one commit, so
/// that a mass disconnect (a gateway process or a silo dies) costs a few commits rather than one per session; a task
/// completes once its batch committed. The due query of a silo is one statement that walks the
/// <c>(deployment_id, due_at)</c> index in due order and keeps the rows whose hash lies in the silo's ranges.
/// </summary>
public sealed class PostgresReminderTable : IReminderTable, IAsyncDisposable
{
    /// <summary>The most upserts and deletes one batch holds.</summary>
    public const int MaxBatch = 256;

    private const string Upsert = """
        INSERT INTO grainmq_reminders (deployment_id, grain_type, grain_key, grain_hash, due_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (deployment_id, grain_type, grain_key) DO UPDATE SET due_at = EXCLUDED.due_at
        """;

    private const string Delete = "DELETE FROM grainmq_reminders WHERE deployment_id = $1 AND grain_type = $2 AND grain_key = $3";

    private const string SelectDue = """
        SELECT r.grain_type, r.grain_key, r.due_at FROM grainmq_reminders r
        WHERE r.deployment_id = $1 AND r.due_at <= $2
          AND EXISTS (SELECT 1 FROM unnest($3::bigint[], $4::bigint[]) AS owned (lo, hi)
                      WHERE r.grain_hash BETWEEN owned.lo AND owned.hi)
        ORDER BY r.due_at
        LIMIT $5
        """;

    private static readonly long MinUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _deploymentId;
    private readonly Channel<PendingChange> _queue = Channel.CreateUnbounded<PendingChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>The reminders of <paramref name="deploymentId"/> (the schema must have been applied); starts the writer loop.</summary>
    public PostgresReminderTable(NpgsqlDataSource dataSource, string deploymentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentId);
        _dataSource = dataSource;
        _deploymentId = deploymentId;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <inheritdoc />
    public Task UpsertAsync(GrainId grain, long dueAtUnixMs, CancellationToken cancellationToken) =>
        Enqueue(new PendingChange(grain, dueAtUnixMs));

    /// <inheritdoc />
    public Task DeleteAsync(GrainId grain, CancellationToken cancellationToken) => Enqueue(new PendingChange(grain, null));

    /// <summary>Stops the writer loop after the changes already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(long dueBeforeUnixMs, IReadOnlyList<HashRange> ranges, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var due = new List<ReminderEntry>();
        if (ranges.Count == 0 || limit <= 0)
        {
            return due;
        }

        var firsts = new long[ranges.Count];
        var lasts = new long[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            firsts[i] = ranges[i].First;
            lasts[i] = ranges[i].Last;
        }

        await using var command = _dataSource.CreateCommand(SelectDue);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _deploymentId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = ToTimestamp(dueBeforeUnixMs), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = firsts });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = lasts });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var grain = new GrainId(reader.GetString(0), reader.GetString(1));
            var dueAt = new DateTimeOffset(reader.GetFieldValue<DateTime>(2)).ToUnixTimeMilliseconds();
            due.Add(new ReminderEntry(grain, dueAt));
        }

        return due;
    }

    private Task Enqueue(PendingChange change)
    {
        if (!_queue.Writer.TryWrite(change))
        {
            change.Done.TrySetException(new ObjectDisposedException(nameof(PostgresReminderTable)));
        }

        return change.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingChange>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }

            try
            {
                await using var commands = _dataSource.CreateBatch();
                foreach (var change in batch)
                {
                    commands.BatchCommands.Add(ToCommand(change));
                }

                await commands.ExecuteNonQueryAsync();
                foreach (var change in batch)
                {
                    change.Done.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                foreach (var change in batch)
                {
                    change.Done.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private NpgsqlBatchCommand ToCommand(PendingChange change)
    {
        var command = new NpgsqlBatchCommand(change.DueAtUnixMs is null ? Delete : Upsert);
        AddKey(command.Parameters, change.Grain);
        if (change.DueAtUnixMs is { } dueAt)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PlacementHash.Of(change.Grain) });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = ToTimestamp(dueAt), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        return command;
    }

    // Clamped to what DateTime holds (years 1 to 9999); any due time a session can have lies within.
    private static DateTime ToTimestamp(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, MinUnixMs, MaxUnixMs)).UtcDateTime;

    private void AddKey(NpgsqlParameterCollection parameters, GrainId grain)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = _deploymentId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Type });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Key });
    }

    /// <summary>An upsert (<paramref name="DueAtUnixMs"/> set) or a delete, and the task its caller awaits.</summary>
    private sealed record PendingChange(GrainId Grain, long? DueAtUnixMs)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
