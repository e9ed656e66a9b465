namespace GrainMQ.Runtime.Reminders;

/// <summary>
/// Durable reminders (what Orleans calls its reminder table): one row per grain, "wake this grain at this time", kept
/// in shared storage so that a reminder outlives the silo that registered it. Each row carries the placement hash of
/// its grain (<see cref="Cluster.PlacementHash"/>), so a silo reads exactly the rows of the grains it owns by its ring.
/// The single node has no table: its reminders live in memory (a restart forgets them, as it forgets everything).
/// </summary>
public interface IReminderTable
{
    /// <summary>Stores the reminder of <paramref name="grain"/> (replacing its earlier one); durable when the task completes.</summary>
    Task UpsertAsync(GrainId grain, long dueAtUnixMs, CancellationToken cancellationToken);

    /// <summary>Removes the reminder of <paramref name="grain"/>, if it has one.</summary>
    Task DeleteAsync(GrainId grain, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> reminders due at or before <paramref name="dueBeforeUnixMs"/> whose grain hash
    /// lies in one of <paramref name="ranges"/>, earliest first.
    /// </summary>
    Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(long dueBeforeUnixMs, IReadOnlyList<HashRange> ranges, int limit, CancellationToken cancellationToken);
}

/// <summary>One stored reminder: wake <paramref name="Grain"/> at <paramref name="DueAtUnixMs"/>.</summary>
public readonly record struct ReminderEntry(GrainId Grain, long DueAtUnixMs);

/// <summary>Placement hashes <paramref name="First"/> to <paramref name="Last"/>, both included: a share of the ring.</summary>
public readonly record struct HashRange(uint First, uint Last)
{
    /// <summary>True when <paramref name="hash"/> lies in the range.</summary>
    public bool Contains(uint hash) => hash >= First && hash <= Last;
}

/// <summary>
/// Takes the stored reminders of one grain type that its silo's poll found due soon (a cluster silo polls the
/// <see cref="IReminderTable"/> for the grains it owns) and wakes their grains when they are due.
/// </summary>
public interface IReminderReceiver
{
    /// <summary>The grain type whose reminders this receiver takes.</summary>
    string GrainType { get; }

    /// <summary>Called (on the poll's thread; must not block) for each reminder that is due within one poll interval or overdue.</summary>
    void OnDueSoon(ReminderEntry reminder);
}
