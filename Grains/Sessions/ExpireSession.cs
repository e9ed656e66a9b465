namespace GrainMQ.Grains.Sessions;

/// <summary>
/// From <see cref="SessionExpiryReminders"/> to a session grain (one-way): its expiry may be due. The session checks
/// it against its own state (its client may have reconnected meanwhile) and ends itself when it has expired.
/// </summary>
public sealed record ExpireSession
{
    /// <summary>The shared instance.</summary>
    public static ExpireSession Instance { get; } = new();
}
