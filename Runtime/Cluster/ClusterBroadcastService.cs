namespace GrainMQ.Runtime.Cluster;

/// <summary>The clustered <see cref="IClusterBroadcast"/>: system requests to every other live silo over their links.</summary>
internal sealed class ClusterBroadcastService(ClusterMessageCenter center) : IClusterBroadcast
{
    public Task BroadcastAsync(object message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return center.BroadcastAsync(message, cancellationToken);
    }
}
