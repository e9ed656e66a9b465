using GrainMQ.Grains;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Sessions;
using GrainMQ.Observability.Metrics;
using GrainMQ.Runtime;

namespace GrainMQ.Observability.Dashboard;

/// <summary>
/// The dashboard's view of clients: search among the clients this silo knows (connected, or with a session in
/// memory) and inspect one session. A session in memory is asked (<see cref="InspectSession"/>); any other is read
/// from storage, so that looking at a hibernated session does not wake it.
/// </summary>
public sealed class ClientDirectory(
    ConnectedClients connected,
    SessionTracker sessions,
    IGrainFactory grains,
    IGrainStorage storage,
    IStateCodec<SessionState> codec)
{
    /// <summary>Client ids containing <paramref name="query"/> (case-insensitive; empty matches all), sorted, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<ClientSummary> Search(string query, int max)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in connected.ClientIds)
        {
            ids.Add(id);
        }

        foreach (var id in sessions.LiveClientIds)
        {
            ids.Add(id);
        }

        var matches = new List<string>();
        foreach (var id in ids)
        {
            if (id.Contains(query, StringComparison.OrdinalIgnoreCase))
            {
                matches.Add(id);
            }
        }

        matches.Sort(StringComparer.Ordinal);
        var result = new List<ClientSummary>(Math.Min(max, matches.Count));
        for (var i = 0; i < matches.Count && i < max; i++)
        {
            result.Add(new ClientSummary(matches[i], StateOf(matches[i]), connected.Contains(matches[i])));
        }

        return result;
    }

    /// <summary>The session of <paramref name="clientId"/> (<see cref="SessionInspection.Exists"/> false when there is none).</summary>
    public async Task<ClientDetails> InspectAsync(string clientId, CancellationToken cancellationToken)
    {
        SessionInspection inspection;
        if (sessions.IsLive(clientId))
        {
            inspection = await grains.GetGrain(GrainTypes.Session, clientId).AskAsync<SessionInspection>(InspectSession.Instance, cancellationToken);
        }
        else if (await storage.ReadAsync(new GrainId(GrainTypes.Session, clientId), cancellationToken) is { } stored)
        {
            inspection = SessionInspector.Describe(clientId, codec.Decode(stored.State.Span));
        }
        else
        {
            inspection = SessionInspector.Describe(clientId, new SessionState());
        }

        return new ClientDetails(StateOf(clientId), inspection);
    }

    private string StateOf(string clientId)
    {
        var live = sessions.IsLive(clientId);
        return connected.Contains(clientId)
            ? live ? ClientStates.Connected : ClientStates.Hibernated
            : live ? ClientStates.Disconnected : ClientStates.Offline;
    }
}

/// <summary>A client in a search result.</summary>
public sealed record ClientSummary(string ClientId, string State, bool Connected);

/// <summary>A client's state and session.</summary>
public sealed record ClientDetails(string State, SessionInspection Session);

/// <summary>The states the dashboard shows for a client.</summary>
public static class ClientStates
{
    /// <summary>Connected, session grain in memory.</summary>
    public const string Connected = "connected";

    /// <summary>Connected, session grain not in memory (state in storage).</summary>
    public const string Hibernated = "hibernated";

    /// <summary>Not connected, session grain still in memory (until idle collection).</summary>
    public const string Disconnected = "disconnected";

    /// <summary>Not connected, session (if any) only in storage.</summary>
    public const string Offline = "offline";
}
