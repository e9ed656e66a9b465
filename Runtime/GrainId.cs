namespace GrainMQ.Runtime;

/// <summary>
/// Identity of a grain: a short stable type name (e.g. "session") and a key unique within that type.
/// A grain with this identity exists conceptually forever; the runtime activates it on its first message.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}

/// <summary>
/// Identity of a non-grain endpoint that grains send one-way messages to (a gateway connection).
/// <paramref name="Silo"/> names the process that owns the endpoint; <paramref name="Id"/> is unique within it.
/// </summary>
public readonly record struct ObserverId(string Silo, long Id);
