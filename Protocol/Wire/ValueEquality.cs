namespace GrainMQ.Protocol;

/// <summary>Content equality for the members of packets that records would otherwise compare by reference.</summary>
internal static class ValueEquality
{
    public static bool BytesEqual(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right) => left.Span.SequenceEqual(right.Span);

    public static bool BytesEqual(ReadOnlyMemory<byte>? left, ReadOnlyMemory<byte>? right) =>
        left.HasValue ? right.HasValue && BytesEqual(left.Value, right.Value) : !right.HasValue;

    public static bool ListEqual<T>(IReadOnlyList<T> left, IReadOnlyList<T> right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static void AddBytes(ref HashCode hash, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes.HasValue)
        {
            hash.AddBytes(bytes.Value.Span);
        }
    }

    public static void AddList<T>(ref HashCode hash, IReadOnlyList<T> list)
    {
        hash.Add(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            hash.Add(list[i]);
        }
    }
}
