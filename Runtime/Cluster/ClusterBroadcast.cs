namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Sends a message to the silo-level handlers (<see cref="IClusterMessageHandler"/>) of every other live silo: how
/// per-silo state such as routing indexes is kept the same on every silo. Register the message type with
/// <see cref="ClusterServiceCollectionExtensions.AddClusterMessageTypes"/>.
/// </summary>
public interface IClusterBroadcast
{
    /// <summary>
    /// Completes when every other live silo (joining, active or leaving) has handled <paramref name="message"/>, or after
    /// <see cref="RuntimeOptions.ResponseTimeout"/> for those that did not answer (logged, not thrown: a silo that does
    /// not answer is on its way to being declared dead). Single node: completes at once.
    /// </summary>
    Task BroadcastAsync(object message, CancellationToken cancellationToken = default);
}

/// <summary>Handles broadcast messages that arrive from other silos. Every registered handler sees every message.</summary>
public interface IClusterMessageHandler
{
    /// <summary>Handles <paramref name="message"/> if it knows it (any thread; must not call grains and wait for them).</summary>
    ValueTask HandleAsync(object message);
}

/// <summary>
/// Work a silo does after joining the membership table (so that it already receives broadcasts) and before it
/// becomes active (so that it owns no grain yet), e.g. loading routing indexes from storage.
/// </summary>
public interface IClusterStartupTask
{
    /// <summary>Runs the task; the silo becomes active when every task has completed.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>The single-node broadcast: there is no other silo.</summary>
internal sealed class LocalClusterBroadcast : IClusterBroadcast
{
    public Task BroadcastAsync(object message, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
