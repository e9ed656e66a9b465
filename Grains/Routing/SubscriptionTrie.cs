using GrainMQ.Grains.Interfaces;

namespace GrainMQ.Grains.Routing;

// The pieces of the SubscriptionIndex trie. They have no locking of their own: SubscriptionIndex's lock guards them.

/// <summary>One subscription as the index holds it.</summary>
internal sealed class IndexedSubscription(string clientId, SubscriptionOptions options)
{
    public string ClientId { get; } = clientId;

    public SubscriptionOptions Options { get; } = options;

    /// <summary>Made once per subscription so that a match hands out the same array every time.</summary>
    public uint[] Identifiers { get; } = options.SubscriptionIdentifier == 0 ? [] : [options.SubscriptionIdentifier];
}

/// <summary>The members of one shared subscription group on one filter, with its round-robin cursor.</summary>
internal sealed class SharedGroup
{
    private int _cursor = -1;

    public List<IndexedSubscription> Members { get; } = [];

    public int Count => Members.Count;

    public int NextCursor() => Interlocked.Increment(ref _cursor);

    public void Set(IndexedSubscription subscription)
    {
        var index = IndexOf(subscription.ClientId);
        if (index < 0)
        {
            Members.Add(subscription);
        }
        else
        {
            Members[index] = subscription;
        }
    }

    public bool Remove(string clientId)
    {
        var index = IndexOf(clientId);
        if (index < 0)
        {
            return false;
        }

        Members.RemoveAt(index);
        return true;
    }

    private int IndexOf(string clientId)
    {
        for (var i = 0; i < Members.Count; i++)
        {
            if (string.Equals(Members[i].ClientId, clientId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One level of the filter trie: literal children, the + and # children, and the subscriptions ending here.</summary>
internal sealed class TrieNode
{
    private Dictionary<string, TrieNode>? _children;

    /// <summary>The literal children by level (for diagnostics walks; the + and # children are separate).</summary>
    public IReadOnlyDictionary<string, TrieNode>? Children => _children;

    public TrieNode? SingleLevel { get; private set; }

    public TrieNode? MultiLevel { get; private set; }

    public Dictionary<string, IndexedSubscription>? Subscribers { get; set; }

    public Dictionary<string, SharedGroup>? SharedGroups { get; set; }

    public bool IsEmpty =>
        Subscribers is null && SharedGroups is null && SingleLevel is null && MultiLevel is null && (_children is null || _children.Count == 0);

    public TrieNode? FindChild(ReadOnlySpan<char> level)
    {
        if (level is "+")
        {
            return SingleLevel;
        }

        if (level is "#")
        {
            return MultiLevel;
        }

        return _children is not null && _children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(level, out var child) ? child : null;
    }

    public TrieNode GetOrAddChild(ReadOnlySpan<char> level)
    {
        if (level is "+")
        {
            return SingleLevel ??= new TrieNode();
        }

        if (level is "#")
        {
            return MultiLevel ??= new TrieNode();
        }

        _children ??= new Dictionary<string, TrieNode>(StringComparer.Ordinal);
        var lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(level, out var child))
        {
            child = new TrieNode();
            lookup[level] = child;
        }

        return child;
    }

    public void RemoveChild(ReadOnlySpan<char> level)
    {
        if (level is "+")
        {
            SingleLevel = null;
        }
        else if (level is "#")
        {
            MultiLevel = null;
        }
        else
        {
            _children?.GetAlternateLookup<ReadOnlySpan<char>>().Remove(level);
        }
    }
}
