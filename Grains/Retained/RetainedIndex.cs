using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Routing;

namespace GrainMQ.Grains.Retained;

// Concurrency rule: one ReaderWriterLockSlim guards the trie. Writers are retained grains (one per topic name, so
// each entry has a single writer; different topics are written from different workers under the write lock).
// Readers are session grains looking up retained messages for a new subscription (read lock, results copied into
// the caller's list, no call-outs while holding it). Per silo, in memory; rebuilt from storage by the cluster issue.

/// <summary>
/// The silo's retained messages by topic name, in a trie of topic levels so that a subscription with wildcards
/// finds its retained messages without scanning every topic. The retained grains own the entries (they persist
/// them); this index only lets subscribers find them.
/// </summary>
public sealed class RetainedIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Node _root = new();
    private int _count;

    /// <summary>How many topics hold a retained message.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Sets the retained message of <paramref name="message"/>'s topic.</summary>
    public void Set(BrokerMessage message)
    {
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var level in new LevelEnumerator(message.Topic))
            {
                node = node.GetOrAddChild(level);
            }

            if (node.Message is null)
            {
                _count++;
            }

            node.Message = message;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the retained message of <paramref name="topic"/>, if any.</summary>
    public void Remove(string topic)
    {
        _lock.EnterWriteLock();
        try
        {
            if (RemoveBelow(_root, topic, 0))
            {
                _count--;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Appends to <paramref name="results"/> the retained messages whose topic matches <paramref name="filter"/> (not a shared filter).</summary>
    public void Find(string filter, List<BrokerMessage> results)
    {
        _lock.EnterReadLock();
        try
        {
            Find(_root, filter, 0, results);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private static void Find(Node node, string filter, int start, List<BrokerMessage> results)
    {
        if (start > filter.Length)
        {
            if (node.Message is not null)
            {
                results.Add(node.Message);
            }

            return;
        }

        var end = SubscriptionIndex.LevelEnd(filter, start);
        var level = filter.AsSpan(start, end - start);
        var atRoot = start == 0;
        if (level is "#")
        {
            // "a/#" also matches "a" itself; at the root, '#' does not match topics starting with '$'.
            AddAll(node, atRoot, results);
        }
        else if (level is "+")
        {
            foreach (var (name, child) in node.Children)
            {
                if (!(atRoot && name.StartsWith('$')))
                {
                    Find(child, filter, end + 1, results);
                }
            }
        }
        else if (node.Children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(level, out var child))
        {
            Find(child, filter, end + 1, results);
        }
    }

    private static void AddAll(Node node, bool atRoot, List<BrokerMessage> results)
    {
        if (node.Message is not null)
        {
            results.Add(node.Message);
        }

        foreach (var (name, child) in node.Children)
        {
            if (!(atRoot && name.StartsWith('$')))
            {
                AddAll(child, false, results);
            }
        }
    }

    private static bool RemoveBelow(Node node, string topic, int start)
    {
        if (start > topic.Length)
        {
            var had = node.Message is not null;
            node.Message = null;
            return had;
        }

        var end = SubscriptionIndex.LevelEnd(topic, start);
        var level = topic.AsSpan(start, end - start);
        var lookup = node.Children.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(level, out var child) || !RemoveBelow(child, topic, end + 1))
        {
            return false;
        }

        if (child.Message is null && child.Children.Count == 0)
        {
            lookup.Remove(level);
        }

        return true;
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public BrokerMessage? Message { get; set; }

        public Node GetOrAddChild(ReadOnlySpan<char> level)
        {
            var lookup = Children.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(level, out var child))
            {
                child = new Node();
                lookup[level] = child;
            }

            return child;
        }
    }
}
