using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GrainMQ.Runtime.Transport;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// Writes and reads message bodies: the registered tag, then the message in its binary codec if it has one, JSON
/// otherwise. Thread-safe; one JSON writer per thread is reused, so a body costs the encoding and the frame copy.
/// </summary>
internal sealed class MessageSerializer
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    private readonly JsonSerializerOptions _json;
    private readonly IReadOnlyDictionary<string, Type> _typesByTag;
    private readonly IReadOnlyDictionary<Type, string> _tagsByType;
    private readonly IReadOnlyDictionary<Type, IClusterMessageCodec> _codecs;

    public MessageSerializer(ClusterSerializationOptions options)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        foreach (var modifier in options.Modifiers)
        {
            resolver.Modifiers.Add(modifier);
        }

        _json = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = resolver,
        };
        _typesByTag = options.TypesByTag;
        _tagsByType = options.TagsByType;
        _codecs = options.Codecs;
    }

    public bool IsRegistered(Type type) => _tagsByType.ContainsKey(type);

    public void WriteBody(FrameWriter frame, object body)
    {
        var type = body.GetType();
        if (!_tagsByType.TryGetValue(type, out var tag))
        {
            throw new NotSupportedException($"{type.FullName} is not registered for cluster messaging (AddClusterMessageTypes).");
        }

        frame.WriteString(tag);
        if (_codecs.TryGetValue(type, out var codec))
        {
            codec.Write(body, frame.Buffer);
            return;
        }

        var json = t_json;
        if (json is null)
        {
            json = t_json = new Utf8JsonWriter(frame.Buffer);
        }
        else
        {
            json.Reset(frame.Buffer);
        }

        JsonSerializer.Serialize(json, body, type, _json);
        json.Flush();
    }

    public object ReadBody(ref FrameReader reader)
    {
        var tag = reader.ReadString();
        if (!_typesByTag.TryGetValue(tag, out var type))
        {
            throw new InvalidDataException($"unknown cluster message tag '{tag}'");
        }

        if (_codecs.TryGetValue(type, out var codec))
        {
            return codec.Read(reader.Remaining);
        }

        return JsonSerializer.Deserialize(reader.Remaining, type, _json)
            ?? throw new InvalidDataException($"empty body for cluster message tag '{tag}'");
    }
}
