using System.Text.Json;

namespace GrainMQ.Runtime;

/// <summary>The default state codec: System.Text.Json UTF-8 bytes.</summary>
public sealed class JsonStateCodec<TState> : IStateCodec<TState>
    where TState : class, new()
{
    private readonly JsonSerializerOptions? _options;

    /// <summary>Creates a codec using <paramref name="options"/> (System.Text.Json defaults when null).</summary>
    public JsonStateCodec(JsonSerializerOptions? options = null) => _options = options;

    internal static JsonStateCodec<TState> Default { get; } = new();

    /// <inheritdoc />
    public byte[] Encode(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, _options);

    /// <inheritdoc />
    public TState Decode(ReadOnlySpan<byte> bytes) => JsonSerializer.Deserialize<TState>(bytes, _options) ?? new TState();
}
