namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Settings of a clustered silo or gateway (configuration section <c>Cluster</c>). Without a connection string the
/// process runs as a single node in memory and none of this applies.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cluster";

    /// <summary>The PostgreSQL connection string (membership and grain state); absent = single node, in memory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Which cluster this process belongs to: its rows in the membership table and its grain state.</summary>
    public string DeploymentId { get; set; } = "grainmq";

    /// <summary>The address peers use to reach this silo (advertised in the membership table).</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>The silo-to-silo port; 0 picks a free one. Unused by a gateway process.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The MQTT TCP port of the gateway the silo co-hosts, written to the membership table for operators; 0 = none.</summary>
    public int GatewayPort { get; set; }

    /// <summary>How often each silo probes its peers.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take before it counts as missed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive missed probes after which a silo votes its peer suspect.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>Votes that declare a silo dead (fewer in a small cluster: at most half the active silos, rounded up).</summary>
    public int VotesForDeath { get; set; } = 2;

    /// <summary>How many peers each silo probes (its successors on the ring of active silos).</summary>
    public int ProbedSilos { get; set; } = 3;

    /// <summary>Suspect votes older than this no longer count.</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often the membership table is read: how fast every process learns a change that it was not told about (by
    /// a notification of the table, <see cref="ListenForTableChanges"/>, or a peer's announcement).
    /// </summary>
    public TimeSpan TableRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Listen for the table's change notifications (PostgreSQL LISTEN/NOTIFY) and read the table at once on each; the
    /// periodic read is then only the fallback. Off behind a connection pooler in transaction mode (no LISTEN there).
    /// </summary>
    public bool ListenForTableChanges { get; set; } = true;

    /// <summary>How often a silo writes its I-am-alive time.</summary>
    public TimeSpan IAmAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Points per silo on the consistent-hash ring (more = more even spread).</summary>
    public int VirtualNodesPerSilo { get; set; } = 64;

    /// <summary>The longest a new owner holds messages for grains it gained while the previous owner hands them over.</summary>
    public TimeSpan HandoffTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest frame accepted on a silo connection; a larger one closes the connection.</summary>
    public int MaxFrameSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>One-way messages queued for one unreachable silo beyond which new ones are dropped (and logged).</summary>
    public int MaxQueuedMessagesPerSilo { get; set; } = 100_000;

    /// <summary>The longest wait between reconnection attempts to a silo (the wait doubles from 50 ms up to this).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a message whose owner disagrees is forwarded before it is handled where it is.</summary>
    public int MaxForwardHops { get; set; } = 2;

    /// <summary>
    /// How often each silo reads the reminders table for the grains it owns that fall due before its next read. It is
    /// also the look-ahead of the in-memory timer: a reminder due within it is kept in memory by the silo that
    /// registered it. A reminder of a crashed silo fires on its new owner at most this long after it fell due or after
    /// the new owner learned of the death, whichever is later.
    /// </summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most reminders one poll reads (earliest first); more wait for the next poll.</summary>
    public int ReminderBatchSize { get; set; } = 1000;

    /// <summary>
    /// How long a silo waits, after the last connection from a process that holds client connections (a gateway
    /// process, or a peer silo with its co-hosted gateway) closed, for that process to connect again. When it does not,
    /// its clients count as disconnected: the sessions with a connection there hear <c>ConnectionLost</c> (will, expiry).
    /// Longer than a link takes to reconnect (at most <see cref="MaxReconnectDelay"/> after the network is back), so a
    /// blip publishes no will; it is also the delay of the wills of a crashed gateway process's clients.
    /// </summary>
    public TimeSpan GatewayReconnectGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many sessions of a gone process a silo tells <c>ConnectionLost</c> at a time. Each of them re-activates and
    /// reads its state from storage: this bounds that burst (and the storage connections it takes).
    /// </summary>
    public int ConnectionLostConcurrency { get; set; } = 16;

    /// <summary>A silo that finds itself declared dead ends its process at once (no state is written). Tests turn it off.</summary>
    public bool FailFastWhenDeclaredDead { get; set; } = true;

    internal string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DeploymentId))
        {
            return "Cluster:DeploymentId must not be empty";
        }

        if (SiloPort is < 0 or > 65535)
        {
            return "Cluster:SiloPort must be 0..65535";
        }

        if (MissedProbesLimit < 1 || VotesForDeath < 1 || ProbedSilos < 1 || VirtualNodesPerSilo < 1 || MaxForwardHops < 0)
        {
            return "Cluster: MissedProbesLimit, VotesForDeath, ProbedSilos and VirtualNodesPerSilo must be at least 1";
        }

        if (ProbeInterval <= TimeSpan.Zero || ProbeTimeout <= TimeSpan.Zero || TableRefreshInterval <= TimeSpan.Zero || IAmAliveInterval <= TimeSpan.Zero)
        {
            return "Cluster: ProbeInterval, ProbeTimeout, TableRefreshInterval and IAmAliveInterval must be positive";
        }

        if (ReminderPollInterval <= TimeSpan.Zero || ReminderBatchSize < 1)
        {
            return "Cluster:ReminderPollInterval must be positive and Cluster:ReminderBatchSize at least 1";
        }

        if (GatewayReconnectGrace <= TimeSpan.Zero || ConnectionLostConcurrency < 1)
        {
            return "Cluster:GatewayReconnectGrace must be positive and Cluster:ConnectionLostConcurrency at least 1";
        }

        return MaxFrameSize < 1024 ? "Cluster:MaxFrameSize must be at least 1024" : null;
    }
}
