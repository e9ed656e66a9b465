namespace GrainMQ.Runtime;

/// <summary>A cheap reference to an observer (a gateway connection) that grains send one-way messages to.</summary>
public readonly struct ObserverReference : IEquatable<ObserverReference>
{
    private readonly GrainRuntime? _runtime;

    internal ObserverReference(ObserverId id, GrainRuntime runtime)
    {
        Id = id;
        _runtime = runtime;
    }

    /// <summary>The identity of the referenced observer.</summary>
    public ObserverId Id { get; }

    /// <summary>
    /// Hands <paramref name="message"/> to the observer on the calling thread. False when the observer is gone
    /// (unregistered, or its silo is unreachable): the caller treats it as disconnected.
    /// </summary>
    public bool Tell(object message) => _runtime is not null && _runtime.TellObserver(Id, message);

    /// <inheritdoc />
    public bool Equals(ObserverReference other) => Id == other.Id && ReferenceEquals(_runtime, other._runtime);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ObserverReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"{Id.Silo}#{Id.Id}";

    /// <summary>True when both reference the same observer of the same runtime.</summary>
    public static bool operator ==(ObserverReference left, ObserverReference right) => left.Equals(right);

    /// <summary>True when the references differ.</summary>
    public static bool operator !=(ObserverReference left, ObserverReference right) => !left.Equals(right);
}
