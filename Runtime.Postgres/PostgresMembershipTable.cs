using System.Globalization;
using System.Text;
using GrainMQ.Runtime.Membership;
using Npgsql;

namespace GrainMQ.Runtime.Postgres;

/// <summary>
/// <see cref="IMembershipTable"/> in PostgreSQL (tables <c>grainmq_membership_version</c> and <c>grainmq_membership</c>).
/// A conditioned write is one transaction: first <c>UPDATE version = version + 1 WHERE version = expected</c> (which
/// locks the version row, so a racing writer waits and then finds the version changed), then the row change; either
/// affecting no row rolls the whole write back. The same transaction does <c>pg_notify(<see cref="ChangeChannel"/>,
/// deployment id)</c>, which PostgreSQL delivers to every listener when (and only when) the write commits: that is the
/// push side (<see cref="IMembershipChangeNotifications"/>).
/// </summary>
public sealed class PostgresMembershipTable : IMembershipTable, IMembershipChangeNotifications
{
    /// <summary>
    /// The channel every committed membership change is notified on; the payload is the deployment id (one channel
    /// serves every deployment of a database). The I-am-alive write does not notify: it changes no version, no view.
    /// </summary>
    public const string ChangeChannel = "grainmq_membership";

    private const string SelectAll = """
        SELECT v.version, m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.gateway_port,
               m.suspect_times, m.start_time, m.i_am_alive_time
        FROM grainmq_membership_version v
        LEFT JOIN grainmq_membership m ON m.deployment_id = v.deployment_id
        WHERE v.deployment_id = @deployment
        """;

    private const string BumpVersion = """
        UPDATE grainmq_membership_version SET version = version + 1, updated_at = now()
        WHERE deployment_id = @deployment AND version = @expected
        """;

    private const string InsertRow = """
        INSERT INTO grainmq_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                        gateway_port, suspect_times, start_time, i_am_alive_time)
        VALUES (@deployment, @address, @port, @generation, @silo_name, @host_name, @status,
                @gateway_port, @suspect_times, @start_time, @i_am_alive_time)
        ON CONFLICT DO NOTHING
        """;

    private const string UpdateRow = """
        UPDATE grainmq_membership SET status = @status, gateway_port = @gateway_port, suspect_times = @suspect_times
        WHERE deployment_id = @deployment AND address = @address AND port = @port AND generation = @generation
          AND status <> 6
        """;

    private const string UpdateAlive = """
        UPDATE grainmq_membership SET i_am_alive_time = @time
        WHERE deployment_id = @deployment AND address = @address AND port = @port AND generation = @generation
          AND status <> 6
        """;

    private const string NotifyChange = "SELECT pg_notify(@channel, @deployment)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _deploymentId;

    /// <summary>Creates the table for <paramref name="deploymentId"/> on <paramref name="dataSource"/>.</summary>
    public PostgresMembershipTable(NpgsqlDataSource dataSource, string deploymentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentId);
        _dataSource = dataSource;
        _deploymentId = deploymentId;
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await PostgresSchema.ApplyAsync(_dataSource, cancellationToken);
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO grainmq_membership_version (deployment_id) VALUES (@deployment) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("deployment", _deploymentId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(SelectAll);
        command.Parameters.AddWithValue("deployment", _deploymentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long version = -1;
        var entries = new List<MembershipEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            version = reader.GetInt64(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var address = new SiloAddress(reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
            entries.Add(new MembershipEntry(
                address,
                reader.GetString(4),
                reader.GetString(5),
                (SiloStatus)reader.GetInt16(6),
                reader.GetInt32(7),
                ParseVotes(reader.GetString(8)),
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        if (version < 0)
        {
            throw new InvalidOperationException($"The membership table has no version row for deployment '{_deploymentId}': call InitializeAsync first.");
        }

        return new MembershipSnapshot(version, entries);
    }

    /// <inheritdoc />
    public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken) =>
        WriteAsync(InsertRow, entry, expectedVersion, includeAllColumns: true, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken) =>
        WriteAsync(UpdateRow, entry, expectedVersion, includeAllColumns: false, cancellationToken);

    /// <inheritdoc />
    public async Task UpdateIAmAliveAsync(SiloAddress address, DateTimeOffset time, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(UpdateAlive);
        AddKey(command, address);
        command.Parameters.AddWithValue("time", time);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Holds one connection of the data source for as long as it listens (<c>LISTEN</c>, then <c>WaitAsync</c>). Needs a
    /// session-level connection: it does not work through a pooler in transaction mode (turn
    /// <c>Cluster:ListenForTableChanges</c> off there).
    /// </remarks>
    public async Task ListenAsync(Action changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, notification) =>
        {
            if (notification.Payload == _deploymentId)
            {
                changed();
            }
        };
        await using (var listen = new NpgsqlCommand("LISTEN " + ChangeChannel, connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        changed();
        while (true)
        {
            await connection.WaitAsync(cancellationToken);
        }
    }

    internal static string FormatVotes(IReadOnlyList<SuspectVote> votes)
    {
        var text = new StringBuilder();
        foreach (var vote in votes)
        {
            if (text.Length > 0)
            {
                text.Append(';');
            }

            text.Append(vote.Voter.ToString()).Append(',').Append(vote.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    internal static IReadOnlyList<SuspectVote> ParseVotes(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var votes = new List<SuspectVote>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.LastIndexOf(',');
            if (comma > 0
                && SiloAddress.TryParse(part[..comma], out var voter)
                && long.TryParse(part.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
            {
                votes.Add(new SuspectVote(voter, DateTimeOffset.FromUnixTimeMilliseconds(unixMs)));
            }
        }

        return votes;
    }

    private async Task<bool> WriteAsync(string sql, MembershipEntry entry, long expectedVersion, bool includeAllColumns, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var bump = new NpgsqlCommand(BumpVersion, connection, transaction))
        {
            bump.Parameters.AddWithValue("deployment", _deploymentId);
            bump.Parameters.AddWithValue("expected", expectedVersion);
            if (await bump.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await using (var write = new NpgsqlCommand(sql, connection, transaction))
        {
            AddKey(write, entry.Address);
            write.Parameters.AddWithValue("status", (short)entry.Status);
            write.Parameters.AddWithValue("gateway_port", entry.GatewayPort);
            write.Parameters.AddWithValue("suspect_times", FormatVotes(entry.SuspectVotes));
            if (includeAllColumns)
            {
                write.Parameters.AddWithValue("silo_name", entry.SiloName);
                write.Parameters.AddWithValue("host_name", entry.HostName);
                write.Parameters.AddWithValue("start_time", entry.StartTime);
                write.Parameters.AddWithValue("i_am_alive_time", entry.IAmAliveTime);
            }

            if (await write.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await using (var notify = new NpgsqlCommand(NotifyChange, connection, transaction))
        {
            notify.Parameters.AddWithValue("channel", ChangeChannel);
            notify.Parameters.AddWithValue("deployment", _deploymentId);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private void AddKey(NpgsqlCommand command, SiloAddress address)
    {
        command.Parameters.AddWithValue("deployment", _deploymentId);
        command.Parameters.AddWithValue("address", address.Host);
        command.Parameters.AddWithValue("port", address.Port);
        command.Parameters.AddWithValue("generation", address.Generation);
    }
}
