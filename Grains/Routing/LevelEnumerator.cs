namespace GrainMQ.Grains.Routing;

/// <summary>Enumerates the '/'-separated levels of a topic name or filter without allocating ("a//b" has an empty middle level).</summary>
internal ref struct LevelEnumerator
{
    private readonly ReadOnlySpan<char> _path;
    private int _next;

    public LevelEnumerator(string path)
    {
        _path = path;
        _next = 0;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly LevelEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next > _path.Length)
        {
            return false;
        }

        var rest = _path[_next..];
        var slash = rest.IndexOf('/');
        var length = slash < 0 ? rest.Length : slash;
        Current = rest[..length];
        _next += length + 1;
        return true;
    }
}
