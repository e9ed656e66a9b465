namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>
/// A Silo whose grains hibernate after one idle second (<c>Session:IdleTimeout</c> for sessions,
/// <c>Runtime:DefaultIdleTimeout</c> for topic and retained grains) and which logs each deactivation (the runtime's
/// Debug line <c>Deactivated grain {type}/{key} ({reason})</c>): that line is the outside signal that a grain has
/// written its state and left memory.
/// </summary>
public sealed class HibernatingSiloFixture : SiloFixture
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Arguments =>
    [
        "--Session:IdleTimeout", "00:00:01",
        "--Runtime:DefaultIdleTimeout", "00:00:01",
        "--Runtime:CollectionInterval", "00:00:00.250",
        "--Logging:LogLevel:GrainMQ.Runtime", "Debug",
    ];

    /// <summary>
    /// Starts waiting for grain <paramref name="grainType"/>/<paramref name="key"/> to be deactivated for being idle.
    /// Call it before the grain's last message; await the task after.
    /// </summary>
    public Task<string> WaitForHibernationAsync(string grainType, string key)
    {
        var line = $"Deactivated grain {grainType}/{key} (IdleTimeout)";
        return Silo.WaitForLogLineAsync(l => l.Contains(line, StringComparison.Ordinal), Mosquitto.SignalTimeout);
    }
}

/// <summary>The tests that share one <see cref="HibernatingSiloFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class HibernatingSiloCollection : ICollectionFixture<HibernatingSiloFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Silo whose grains hibernate after one idle second";
}
