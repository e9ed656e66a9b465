using GrainMQ.Grains.Cluster;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Retained;

/// <summary>
/// The retained message of one topic name (key). Persists it and is the single writer of its topic's entry in the
/// <see cref="RetainedIndex"/> of every silo (through the <see cref="IndexReplicator"/>). It calls no grain, so
/// publishers can ask it.
/// </summary>
internal sealed class RetainedMessageGrain : Grain<RetainedState>
{
    private readonly RetainedIndex _index;
    private readonly IndexReplicator _replicator;
    private readonly TimeProvider _time;

    public RetainedMessageGrain(RetainedIndex index, IndexReplicator replicator, TimeProvider time)
    {
        _index = index;
        _replicator = replicator;
        _time = time;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Message is null)
        {
            return;
        }

        if (IsExpired(State.Message))
        {
            await ClearAsync();
        }
        else
        {
            _index.Set(State.Message);
        }
    }

    public override async ValueTask<object?> ReceiveAsync(object message)
    {
        switch (message)
        {
            case StoreRetainedMessage store when store.Message.Payload.IsEmpty:
                await ClearAsync();
                return RetainedMessageStored.Instance;

            case StoreRetainedMessage store:
                State.Message = store.Message;
                await WriteStateAsync();
                await _replicator.SetRetainedAsync(store.Message);
                return RetainedMessageStored.Instance;

            case RemoveExpiredRetainedMessage:
                if (State.Message is not null && IsExpired(State.Message))
                {
                    await ClearAsync();
                }

                return null;

            default:
                throw new ArgumentException($"A retained grain does not handle {message.GetType().Name}.", nameof(message));
        }
    }

    private bool IsExpired(BrokerMessage message) =>
        message.ExpiresAtUnixMs is { } expiresAt && _time.GetUtcNow().ToUnixTimeMilliseconds() >= expiresAt;

    private async Task ClearAsync()
    {
        await ClearStateAsync();
        await _replicator.RemoveRetainedAsync(Id.Key);

        DeactivateOnIdle();
    }
}
