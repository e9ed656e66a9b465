using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Retained;
using GrainMQ.Grains.Routing;
using GrainMQ.Runtime.Cluster;

namespace GrainMQ.Grains.Cluster;

/// <summary>
/// Keeps the routing indexes of every silo the same. The grain that owns an entry (a topic grain for its filter, a
/// retained grain for its topic) changes it through here: the local index first, then a broadcast that completes when
/// every other live silo has applied it. A topic grain awaits that before it answers the subscribing session, so a
/// SUBACK means "visible to publishers on every silo". Single node: the broadcast is a no-op.
/// While a joining silo loads the indexes from storage (<see cref="IndexLoader"/>) it records the changes it is told
/// about and applies them after the load, in arrival order: each change is absolute (set or remove one entry) and
/// the changes of one entry come from one grain in order, so replaying them over the snapshot gives the current state.
/// </summary>
public sealed class IndexReplicator : IClusterMessageHandler
{
    private readonly SubscriptionIndex _subscriptions;
    private readonly RetainedIndex _retained;
    private readonly IClusterBroadcast _broadcast;
    private readonly Lock _loadLock = new();
    private List<object>? _duringLoad;

    /// <summary>Creates the replicator for this silo's indexes.</summary>
    public IndexReplicator(SubscriptionIndex subscriptions, RetainedIndex retained, IClusterBroadcast broadcast)
    {
        _subscriptions = subscriptions;
        _retained = retained;
        _broadcast = broadcast;
    }

    /// <summary>Adds (or replaces) a subscription everywhere.</summary>
    public Task AddSubscriptionAsync(string filter, string clientId, SubscriptionOptions options)
    {
        _subscriptions.Add(filter, clientId, options);
        return _broadcast.BroadcastAsync(new SubscriptionIndexChanged(filter, clientId, options));
    }

    /// <summary>Removes a subscription everywhere.</summary>
    public Task RemoveSubscriptionAsync(string filter, string clientId)
    {
        _subscriptions.Remove(filter, clientId);
        return _broadcast.BroadcastAsync(new SubscriptionIndexChanged(filter, clientId, null));
    }

    /// <summary>Sets a topic's retained message everywhere.</summary>
    public Task SetRetainedAsync(BrokerMessage message)
    {
        _retained.Set(message);
        return _broadcast.BroadcastAsync(new RetainedIndexChanged(message.Topic, message));
    }

    /// <summary>Clears a topic's retained message everywhere.</summary>
    public Task RemoveRetainedAsync(string topic)
    {
        _retained.Remove(topic);
        return _broadcast.BroadcastAsync(new RetainedIndexChanged(topic, null));
    }

    /// <inheritdoc />
    public ValueTask HandleAsync(object message)
    {
        if (message is SubscriptionIndexChanged or RetainedIndexChanged)
        {
            lock (_loadLock)
            {
                if (_duringLoad is not null)
                {
                    _duringLoad.Add(message);
                    return ValueTask.CompletedTask;
                }
            }

            Apply(message);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>From now on, changes from other silos are recorded instead of applied.</summary>
    internal void BeginLoad()
    {
        lock (_loadLock)
        {
            _duringLoad = [];
        }
    }

    /// <summary>Applies the changes recorded since <see cref="BeginLoad"/>, then applies new ones directly again.</summary>
    internal void EndLoad()
    {
        while (true)
        {
            List<object> recorded;
            lock (_loadLock)
            {
                recorded = _duringLoad ?? [];
                if (recorded.Count == 0)
                {
                    _duringLoad = null;
                    return;
                }

                _duringLoad = [];
            }

            foreach (var change in recorded)
            {
                Apply(change);
            }
        }
    }

    private void Apply(object change)
    {
        switch (change)
        {
            case SubscriptionIndexChanged { Options: { } options } added:
                _subscriptions.Add(added.Filter, added.ClientId, options);
                break;
            case SubscriptionIndexChanged removed:
                _subscriptions.Remove(removed.Filter, removed.ClientId);
                break;
            case RetainedIndexChanged { Message: { } message }:
                _retained.Set(message);
                break;
            case RetainedIndexChanged cleared:
                _retained.Remove(cleared.Topic);
                break;
        }
    }
}
