using GrainMQ.Grains.Cluster;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Routing;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Topics;

/// <summary>
/// One topic filter (key; shared filters keep their <c>$share/{group}/</c> prefix). Owns the filter's subscriber set
/// (persistent) and keeps the <see cref="SubscriptionIndex"/> of every silo in step with it (through the
/// <see cref="IndexReplicator"/>): it is the single writer of its filter's entries there. Only sessions call it, and
/// it calls no grain, so it can be asked safely.
/// </summary>
internal sealed class TopicGrain : Grain<TopicState>
{
    private readonly SubscriptionIndex _index;
    private readonly IndexReplicator _replicator;

    public TopicGrain(SubscriptionIndex index, IndexReplicator replicator)
    {
        _index = index;
        _replicator = replicator;
    }

    private string Filter => Id.Key;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Idempotent: re-adds what an earlier activation (or another silo's lifetime) stored.
        foreach (var (clientId, options) in State.Subscribers)
        {
            _index.Add(Filter, clientId, options);
        }

        return Task.CompletedTask;
    }

    public override async ValueTask<object?> ReceiveAsync(object message)
    {
        switch (message)
        {
            case TopicSubscribe subscribe:
                var existed = State.Subscribers.ContainsKey(subscribe.ClientId);
                State.Subscribers[subscribe.ClientId] = subscribe.Options;
                await WriteStateAsync();
                await _replicator.AddSubscriptionAsync(Filter, subscribe.ClientId, subscribe.Options);
                return new TopicSubscriptionChanged(existed);

            case TopicUnsubscribe unsubscribe:
                if (!State.Subscribers.Remove(unsubscribe.ClientId))
                {
                    return new TopicSubscriptionChanged(false);
                }

                await _replicator.RemoveSubscriptionAsync(Filter, unsubscribe.ClientId);
                if (State.Subscribers.Count == 0)
                {
                    await ClearStateAsync();
                    DeactivateOnIdle();
                }
                else
                {
                    await WriteStateAsync();
                }

                return new TopicSubscriptionChanged(true);

            default:
                throw new ArgumentException($"A topic grain does not handle {message.GetType().Name}.", nameof(message));
        }
    }
}
