namespace GrainMQ.Runtime.Membership;

/// <summary>
/// The push side of an <see cref="IMembershipTable"/> that has one: it tells this process as soon as any writer
/// committed a change of the deployment's membership (a write that changed the version). The membership agent reads
/// the table at once on each notification; its periodic read (<see cref="Cluster.ClusterOptions.TableRefreshInterval"/>)
/// stays as the fallback, so a lost notification costs at most one period.
/// </summary>
public interface IMembershipChangeNotifications
{
    /// <summary>
    /// Subscribes, calls <paramref name="changed"/> once when the subscription is in place (changes committed before it
    /// were not notified) and then after every committed change, until <paramref name="cancellationToken"/> is cancelled
    /// (it then returns or throws <see cref="OperationCanceledException"/>). When the subscription breaks it throws; the
    /// caller subscribes again. <paramref name="changed"/> runs on the listening loop and must only start work.
    /// </summary>
    Task ListenAsync(Action changed, CancellationToken cancellationToken);
}
