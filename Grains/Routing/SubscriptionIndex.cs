using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Routing;

// Concurrency rule: one ReaderWriterLockSlim guards the whole trie.
// - Writers are topic grains: each filter has exactly one writer (its TopicGrain, one turn at a time), but grains of
//   different filters run on different workers, so Add/Remove take the write lock.
// - Readers are publishers (session grains, the $SYS publisher, wills): Match takes the read lock, walks the trie
//   and copies what it finds into the caller's list; it never calls out while holding the lock.
// - The only thing mutated under the read lock is a shared group's round-robin cursor (Interlocked).
// The index is per silo and in memory only; it is empty when the silo starts. With single-node in-memory storage that
// is consistent (no topic grain state survives either); persistent storage or a cluster must rebuild it from the
// topic grains' stored state at start-up.

/// <summary>
/// The silo's routing index: a trie of topic filter levels that answers "who gets a message published to this
/// topic" without asking any topic grain. Each client gets at most one delivery from its non-shared subscriptions
/// (highest QoS, all subscription identifiers); each shared group <c>$share/{group}/{filter}</c> adds one delivery
/// to one of its members, chosen round-robin, preferring connected members.
/// </summary>
public sealed class SubscriptionIndex : IDisposable
{
    [ThreadStatic]
    private static Dictionary<string, int>? t_positions;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TrieNode _root = new();
    private readonly ConnectedClients _connectedClients;

    // Written under the write lock, read without it.
    private int _count;

    /// <summary>Creates an empty index that asks <paramref name="connectedClients"/> which shared-group members are online.</summary>
    public SubscriptionIndex(ConnectedClients connectedClients)
    {
        _connectedClients = connectedClients;
    }

    /// <summary>How many subscriptions the index holds (shared-group memberships included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds the subscription of <paramref name="clientId"/> to <paramref name="filter"/>, or replaces its options.</summary>
    public void Add(string filter, string clientId, SubscriptionOptions options)
    {
        var isShared = TopicValidation.TryParseShared(filter, out var group, out var innerFilter);
        var subscription = new IndexedSubscription(clientId, options);
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new LevelEnumerator(isShared ? innerFilter : filter))
            {
                node = node.GetOrAddChild(level);
            }

            if (isShared)
            {
                node.SharedGroups ??= new Dictionary<string, SharedGroup>(StringComparer.Ordinal);
                if (!node.SharedGroups.TryGetValue(group, out var members))
                {
                    members = new SharedGroup();
                    node.SharedGroups.Add(group, members);
                }

                var before = members.Count;
                members.Set(subscription);
                CountAdded(members.Count - before);
            }
            else
            {
                node.Subscribers ??= new Dictionary<string, IndexedSubscription>(StringComparer.Ordinal);
                var before = node.Subscribers.Count;
                node.Subscribers[clientId] = subscription;
                CountAdded(node.Subscribers.Count - before);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the subscription of <paramref name="clientId"/> to <paramref name="filter"/>; false when there was none.</summary>
    public bool Remove(string filter, string clientId)
    {
        var isShared = TopicValidation.TryParseShared(filter, out var group, out var innerFilter);
        _lock.EnterWriteLock();
        try
        {
            var removed = RemoveBelow(_root, isShared ? innerFilter : filter, 0, isShared ? group : null, clientId);
            CountAdded(removed ? -1 : 0);
            return removed;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Appends to <paramref name="results"/> the deliveries for a message published to <paramref name="topic"/> by
    /// <paramref name="publisherClientId"/> (null for the broker itself): no-local subscriptions of the publisher are skipped.
    /// </summary>
    public void Match(string topic, string? publisherClientId, List<SubscriberMatch> results)
    {
        var positions = t_positions ??= new Dictionary<string, int>(StringComparer.Ordinal);
        var walk = new MatchWalk(topic, publisherClientId, results, positions, _connectedClients);
        _lock.EnterReadLock();
        try
        {
            walk.Visit(_root, 0);
        }
        finally
        {
            _lock.ExitReadLock();
            positions.Clear();
        }
    }

    /// <summary>
    /// Appends to <paramref name="results"/> the filters that have subscribers, with their subscriber counts, at most
    /// <paramref name="max"/> of them (for the dashboard; walks the trie under the read lock).
    /// </summary>
    public void CollectFilters(List<FilterSubscribers> results, int max)
    {
        _lock.EnterReadLock();
        try
        {
            CollectFilters(_root, null, results, max);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    // path: the filter of node; null for the root (whose children start the filter without a separator).
    private static void CollectFilters(TrieNode node, string? path, List<FilterSubscribers> results, int max)
    {
        if (results.Count >= max)
        {
            return;
        }

        if (node.Subscribers is { Count: > 0 } subscribers)
        {
            results.Add(new FilterSubscribers(path ?? "", subscribers.Count));
        }

        if (node.SharedGroups is not null)
        {
            foreach (var (group, members) in node.SharedGroups)
            {
                results.Add(new FilterSubscribers($"$share/{group}/{path}", members.Count));
            }
        }

        var prefix = path is null ? "" : path + "/";
        if (node.Children is not null)
        {
            foreach (var (level, child) in node.Children)
            {
                CollectFilters(child, prefix + level, results, max);
            }
        }

        if (node.SingleLevel is not null)
        {
            CollectFilters(node.SingleLevel, prefix + "+", results, max);
        }

        if (node.MultiLevel is not null)
        {
            CollectFilters(node.MultiLevel, prefix + "#", results, max);
        }
    }

    private void CountAdded(int delta) => _count += delta;

    private static bool RemoveBelow(TrieNode node, string filter, int start, string? group, string clientId)
    {
        if (start > filter.Length)
        {
            return group is null ? RemoveSubscriber(node, clientId) : RemoveSharedMember(node, group, clientId);
        }

        var end = LevelEnd(filter, start);
        var level = filter.AsSpan(start, end - start);
        var child = node.FindChild(level);
        if (child is null || !RemoveBelow(child, filter, end + 1, group, clientId))
        {
            return false;
        }

        if (child.IsEmpty)
        {
            node.RemoveChild(level);
        }

        return true;
    }

    private static bool RemoveSubscriber(TrieNode node, string clientId)
    {
        if (node.Subscribers is null || !node.Subscribers.Remove(clientId))
        {
            return false;
        }

        if (node.Subscribers.Count == 0)
        {
            node.Subscribers = null;
        }

        return true;
    }

    private static bool RemoveSharedMember(TrieNode node, string group, string clientId)
    {
        if (node.SharedGroups is null || !node.SharedGroups.TryGetValue(group, out var members) || !members.Remove(clientId))
        {
            return false;
        }

        if (members.Count == 0)
        {
            node.SharedGroups.Remove(group);
            if (node.SharedGroups.Count == 0)
            {
                node.SharedGroups = null;
            }
        }

        return true;
    }

    /// <summary>The index of the '/' ending the level that starts at <paramref name="start"/>, or the string's length.</summary>
    internal static int LevelEnd(string path, int start)
    {
        var slash = path.IndexOf('/', start);
        return slash < 0 ? path.Length : slash;
    }

    /// <summary>One walk of the trie for one published topic (a struct: Match allocates nothing of its own).</summary>
    private readonly struct MatchWalk(
        string topic,
        string? publisherClientId,
        List<SubscriberMatch> results,
        Dictionary<string, int> positions,
        ConnectedClients connectedClients)
    {
        // start = index of the current level in the topic; past the end when every level has been consumed.
        public void Visit(TrieNode node, int start)
        {
            if (start > topic.Length)
            {
                Collect(node);
                if (node.MultiLevel is not null)
                {
                    Collect(node.MultiLevel);
                }

                return;
            }

            // Topics starting with '$' are not matched by a wildcard in the first level.
            var wildcardsAllowed = start > 0 || topic.Length == 0 || topic[0] != '$';
            if (wildcardsAllowed && node.MultiLevel is not null)
            {
                Collect(node.MultiLevel);
            }

            var end = LevelEnd(topic, start);
            var child = node.FindChild(topic.AsSpan(start, end - start));
            if (child is not null)
            {
                Visit(child, end + 1);
            }

            if (wildcardsAllowed && node.SingleLevel is not null)
            {
                Visit(node.SingleLevel, end + 1);
            }
        }

        private void Collect(TrieNode node)
        {
            if (node.Subscribers is not null)
            {
                foreach (var subscription in node.Subscribers.Values)
                {
                    if (!IsOwnNoLocal(subscription))
                    {
                        Merge(subscription);
                    }
                }
            }

            if (node.SharedGroups is not null)
            {
                foreach (var group in node.SharedGroups.Values)
                {
                    var member = Pick(group);
                    if (member is not null)
                    {
                        results.Add(new SubscriberMatch(member.ClientId, member.Options.QoS, member.Options.RetainAsPublished, member.Identifiers));
                    }
                }
            }
        }

        private bool IsOwnNoLocal(IndexedSubscription subscription) =>
            subscription.Options.NoLocal && string.Equals(subscription.ClientId, publisherClientId, StringComparison.Ordinal);

        private void Merge(IndexedSubscription subscription)
        {
            if (!positions.TryGetValue(subscription.ClientId, out var position))
            {
                positions.Add(subscription.ClientId, results.Count);
                results.Add(new SubscriberMatch(subscription.ClientId, subscription.Options.QoS, subscription.Options.RetainAsPublished, subscription.Identifiers));
                return;
            }

            var existing = results[position];
            results[position] = new SubscriberMatch(
                existing.ClientId,
                existing.QoS > subscription.Options.QoS ? existing.QoS : subscription.Options.QoS,
                existing.RetainAsPublished || subscription.Options.RetainAsPublished,
                Concat(existing.SubscriptionIdentifiers, subscription.Identifiers));
        }

        private IndexedSubscription? Pick(SharedGroup group)
        {
            var members = group.Members;
            var count = members.Count;
            var first = (int)((uint)group.NextCursor() % (uint)count);
            IndexedSubscription? fallback = null;
            for (var i = 0; i < count; i++)
            {
                var member = members[(first + i) % count];
                if (IsOwnNoLocal(member))
                {
                    continue;
                }

                if (connectedClients.Contains(member.ClientId))
                {
                    return member;
                }

                fallback ??= member;
            }

            return fallback;
        }

        private static IReadOnlyList<uint> Concat(IReadOnlyList<uint> first, uint[] second)
        {
            if (second.Length == 0)
            {
                return first;
            }

            if (first.Count == 0)
            {
                return second;
            }

            var all = new uint[first.Count + second.Length];
            for (var i = 0; i < first.Count; i++)
            {
                all[i] = first[i];
            }

            second.CopyTo(all, first.Count);
            return all;
        }
    }
}
