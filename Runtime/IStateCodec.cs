namespace GrainMQ.Runtime;

/// <summary>
/// Turns a grain's state into compact bytes and back. Register an implementation in the service collection
/// (<c>services.AddSingleton&lt;IStateCodec&lt;MyState&gt;, MyStateCodec&gt;()</c>) to replace the default
/// System.Text.Json UTF-8 codec for that state type.
/// </summary>
public interface IStateCodec<TState>
    where TState : class
{
    /// <summary>The bytes of <paramref name="state"/>.</summary>
    byte[] Encode(TState state);

    /// <summary>The state encoded in <paramref name="bytes"/>.</summary>
    TState Decode(ReadOnlySpan<byte> bytes);
}
