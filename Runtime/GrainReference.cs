namespace GrainMQ.Runtime;

/// <summary>
/// A cheap reference to a grain. Messages are immutable records that could be serialised (primitives, strings,
/// byte buffers, identities, other such records): never delegates, tasks, grains or shared mutable objects.
/// </summary>
public readonly struct GrainReference : IEquatable<GrainReference>
{
    private readonly GrainRuntime? _runtime;

    internal GrainReference(GrainId id, GrainRuntime runtime)
    {
        Id = id;
        _runtime = runtime;
    }

    /// <summary>The identity of the referenced grain.</summary>
    public GrainId Id { get; }

    private GrainRuntime Runtime =>
        _runtime ?? throw new InvalidOperationException("This grain reference was not obtained from an IGrainFactory.");

    /// <summary>
    /// Request/response: activates the grain if needed, enqueues the message and completes with the reply. An exception
    /// thrown by the grain's turn is propagated (the activation survives); no reply within
    /// <see cref="RuntimeOptions.ResponseTimeout"/> gives a <see cref="TimeoutException"/>.
    /// </summary>
    public Task<object?> AskAsync(object message, CancellationToken cancellationToken = default) =>
        Runtime.AskAsync(Id, message, cancellationToken);

    /// <summary>Like <see cref="AskAsync(object, CancellationToken)"/>, with the reply cast to <typeparamref name="T"/>.</summary>
    public async Task<T> AskAsync<T>(object message, CancellationToken cancellationToken = default)
    {
        var reply = await Runtime.AskAsync(Id, message, cancellationToken).ConfigureAwait(false);
        if (reply is T typed)
        {
            return typed;
        }

        if (reply is null && default(T) is null)
        {
            return default!;
        }

        throw new InvalidCastException(
            $"Grain {Id} replied to {message.GetType().Name} with {reply?.GetType().Name ?? "null"}, not {typeof(T).Name}.");
    }

    /// <summary>One-way: activates the grain if needed and enqueues the message. Never blocks; grain errors are logged.</summary>
    public void Tell(object message) => Runtime.Tell(Id, message);

    /// <inheritdoc />
    public bool Equals(GrainReference other) => Id == other.Id && ReferenceEquals(_runtime, other._runtime);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Id.ToString();

    /// <summary>True when both reference the same grain of the same runtime.</summary>
    public static bool operator ==(GrainReference left, GrainReference right) => left.Equals(right);

    /// <summary>True when the references differ.</summary>
    public static bool operator !=(GrainReference left, GrainReference right) => !left.Equals(right);
}
