namespace GrainMQ.Runtime;

/// <summary>
/// A non-grain endpoint (a gateway connection) that grains send one-way messages to. <see cref="Receive"/> is called
/// on the sender's thread, usually a scheduler worker: it must not block (enqueue the message and return).
/// </summary>
public interface IGrainObserver
{
    /// <summary>Accepts one message; must not block and should not throw.</summary>
    void Receive(object message);
}

/// <summary>Registers observers so that grains can reach them through <see cref="ObserverReference"/>.</summary>
public interface IObserverRegistry
{
    /// <summary>The name of this process, carried by every <see cref="ObserverId"/> it hands out.</summary>
    string SiloName { get; }

    /// <summary>Registers <paramref name="observer"/> and returns its new, never reused identity.</summary>
    ObserverId Register(IGrainObserver observer);

    /// <summary>Removes the observer; later <see cref="ObserverReference.Tell"/> calls to it return false.</summary>
    void Unregister(ObserverId id);
}
