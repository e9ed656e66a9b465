using GrainMQ.Grains.Interfaces;

namespace GrainMQ.Grains.Sessions;

/// <summary>Describes a <see cref="SessionState"/> for operators: used by the session grain and by readers of stored sessions.</summary>
public static class SessionInspector
{
    /// <summary>The description of <paramref name="state"/>, the session of <paramref name="clientId"/>.</summary>
    public static SessionInspection Describe(string clientId, SessionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var subscriptions = new List<SubscriptionInspection>(state.Subscriptions.Count);
        foreach (var (filter, options) in state.Subscriptions)
        {
            subscriptions.Add(new SubscriptionInspection(filter, options.QoS, options.NoLocal, options.RetainAsPublished, options.SubscriptionIdentifier));
        }

        subscriptions.Sort(static (a, b) => string.CompareOrdinal(a.Filter, b.Filter));
        return new SessionInspection(
            clientId,
            Exists: state.ProtocolVersion != default,
            Connected: state.Connection is not null,
            state.ProtocolVersion,
            state.SessionExpiryInterval,
            state.DisconnectedAtUnixMs,
            subscriptions,
            state.Queue.Count,
            state.Inflight.Count,
            state.AwaitingRelease.Count,
            HasWill: state.Will is not null);
    }
}
