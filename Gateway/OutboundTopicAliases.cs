namespace GrainMQ.Gateway;

/// <summary>
/// The topic aliases the broker assigned towards an MQTT 5 client (write loop only): new topics get the next alias
/// until the client's Topic Alias Maximum is reached, after which they are sent in full.
/// </summary>
internal sealed class OutboundTopicAliases(ushort maximum)
{
    private readonly Dictionary<string, ushort> _aliases = new(StringComparer.Ordinal);

    public bool TryGet(string topic, out ushort alias) => _aliases.TryGetValue(topic, out alias);

    /// <summary>The alias a new topic would get, if any is left; it is only taken by <see cref="Commit"/>.</summary>
    public bool TryReserve(out ushort alias)
    {
        alias = _aliases.Count < maximum ? (ushort)(_aliases.Count + 1) : (ushort)0;
        return alias != 0;
    }

    public void Commit(string topic, ushort alias) => _aliases.Add(topic, alias);
}
