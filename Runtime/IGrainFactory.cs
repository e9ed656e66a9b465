namespace GrainMQ.Runtime;

/// <summary>Gives references to grains and observers. References are cheap values; creating one activates nothing.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain with identity <paramref name="id"/>.</summary>
    GrainReference GetGrain(GrainId id);

    /// <summary>A reference to the grain with identity (<paramref name="type"/>, <paramref name="key"/>).</summary>
    GrainReference GetGrain(string type, string key);

    /// <summary>A reference to the observer (gateway connection) with identity <paramref name="id"/>.</summary>
    ObserverReference GetObserver(ObserverId id);
}
