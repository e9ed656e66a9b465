namespace GrainMQ.Grains.Sys;

/// <summary>
/// More <c>$SYS/broker/...</c> statistics: every registered source is asked at each publication round, after the
/// broker's own topics, so that $SYS and the metrics exporter can read the same counters.
/// </summary>
public interface ISysTopicSource
{
    /// <summary>Adds (name below <c>$SYS/broker/</c>, value) pairs to <paramref name="topics"/>.</summary>
    void Collect(ICollection<KeyValuePair<string, string>> topics);
}
