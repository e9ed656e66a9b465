using System.Text.Json;
using System.Text.Json.Serialization;
using GrainMQ.Runtime;

namespace GrainMQ.Grains;

/// <summary>
/// The broker grains' state codec: System.Text.Json without null members (most messages carry no properties and
/// no expiry, so their stored form stays small). Empty bytes decode as a new state.
/// </summary>
internal sealed class CompactJsonStateCodec<TState> : IStateCodec<TState>
    where TState : class, new()
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public byte[] Encode(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    public TState Decode(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? new TState() : JsonSerializer.Deserialize<TState>(bytes, Options) ?? new TState();
}
