using System.Collections.Concurrent;

namespace GrainMQ.Grains;

/// <summary>
/// The client ids whose session has a connection attached on this silo. Written by session grains only (attach on
/// CONNECT, detach on disconnect); a set rather than a counter, so that a takeover (detach old, attach new) or a
/// repeated detach cannot skew the count. Read by shared-subscription routing to prefer connected members.
/// </summary>
public sealed class ConnectedClients
{
    private readonly ConcurrentDictionary<string, byte> _clients = new(StringComparer.Ordinal);

    /// <summary>How many clients are connected.</summary>
    public int Count => _clients.Count;

    /// <summary>The connected client ids (a moment's copy, for diagnostics: the dashboard's client search).</summary>
    public ICollection<string> ClientIds => _clients.Keys;

    /// <summary>Whether <paramref name="clientId"/> is connected.</summary>
    public bool Contains(string clientId) => _clients.ContainsKey(clientId);

    /// <summary>Marks <paramref name="clientId"/> connected.</summary>
    public void Attach(string clientId) => _clients.TryAdd(clientId, 0);

    /// <summary>Marks <paramref name="clientId"/> disconnected.</summary>
    public void Detach(string clientId) => _clients.TryRemove(clientId, out _);
}
