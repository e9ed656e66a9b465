using System.Text.Json.Serialization.Metadata;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// What may cross process boundaries: every message type sent to a grain, an observer or a silo of another process
/// is registered here under a short, stable tag (the tag goes on the wire instead of the CLR name). The body is
/// System.Text.Json UTF-8 (byte buffers as Base64); the layers that own the message types add type tags and contract
/// modifiers (e.g. the derived types of an abstract record) with
/// <see cref="ClusterServiceCollectionExtensions.AddClusterMessageTypes"/>, so the runtime knows none of them.
/// </summary>
public sealed class ClusterSerializationOptions
{
    private readonly Dictionary<string, Type> _typesByTag = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _tagsByType = [];
    private readonly Dictionary<Type, IClusterMessageCodec> _codecs = [];

    /// <summary>Contract modifiers applied to the JSON type info of every type (polymorphism, ignored members).</summary>
    public IList<Action<JsonTypeInfo>> Modifiers { get; } = [];

    internal IReadOnlyDictionary<string, Type> TypesByTag => _typesByTag;

    internal IReadOnlyDictionary<Type, string> TagsByType => _tagsByType;

    internal IReadOnlyDictionary<Type, IClusterMessageCodec> Codecs => _codecs;

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="tag"/>.</summary>
    public ClusterSerializationOptions AddType<T>(string tag) => AddType(typeof(T), tag);

    /// <summary>Registers <paramref name="type"/> under <paramref name="tag"/>, encoded by <paramref name="codec"/> instead of JSON.</summary>
    public ClusterSerializationOptions AddType(Type type, string tag, IClusterMessageCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        AddType(type, tag);
        _codecs[type] = codec;
        return this;
    }

    /// <summary>Registers <paramref name="type"/> under <paramref name="tag"/> (unique; registering the same pair twice is a no-op).</summary>
    public ClusterSerializationOptions AddType(Type type, string tag)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        if (_typesByTag.TryGetValue(tag, out var existing))
        {
            return existing == type
                ? this
                : throw new InvalidOperationException($"Cluster message tag '{tag}' is used by {existing.Name} and {type.Name}.");
        }

        _typesByTag.Add(tag, type);
        _tagsByType.Add(type, tag);
        return this;
    }
}
