using GrainMQ.Grains.Cluster;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Options;
using GrainMQ.Grains.Retained;
using GrainMQ.Grains.Routing;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Grains.Sessions;

/// <summary>
/// One MQTT session (key = client id): subscriptions, QoS 1/2 state in both directions, the offline and
/// beyond-the-window queue, the will, and session expiry. It answers its client through the connection's observer.
/// This file holds the lifecycle (connect, takeover, disconnect, will, expiry); <c>SessionGrain.Inbound.cs</c>
/// handles packets from the client and <c>SessionGrain.Outbound.cs</c> deliveries to it.
/// </summary>
internal sealed partial class SessionGrain : Grain<SessionState>
{
    private readonly SessionOptions _options;
    private readonly MessageRouter _router;
    private readonly RetainedIndex _retainedIndex;
    private readonly BrokerCounters _counters;
    private readonly ConnectedClients _connectedClients;
    private readonly RemoteConnections _remoteConnections;
    private readonly TimeProvider _time;
    private readonly SessionExpiryReminders _expiryReminders;
    private readonly HashSet<ushort> _packetIdsInUse = [];
    private IDisposable? _willTimer;
    private bool _connectionGone;

    public SessionGrain(
        IOptions<SessionOptions> options,
        MessageRouter router,
        RetainedIndex retainedIndex,
        BrokerCounters counters,
        ConnectedClients connectedClients,
        RemoteConnections remoteConnections,
        TimeProvider time,
        SessionExpiryReminders expiryReminders)
    {
        _options = options.Value;
        _router = router;
        _retainedIndex = retainedIndex;
        _counters = counters;
        _connectedClients = connectedClients;
        _remoteConnections = remoteConnections;
        _time = time;
        _expiryReminders = expiryReminders;
    }

    private string ClientId => Id.Key;

    /// <summary>True once a CONNECT created the session (until it ends): a new or cleared state has no protocol version.</summary>
    private bool SessionExists => State.ProtocolVersion != default;

    private long NowUnixMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var inflight in State.Inflight)
        {
            _packetIdsInUse.Add(inflight.PacketId);
        }

        RestoreExactlyOnce();
        if (State.Connection is { } connection)
        {
            // Hibernated or moved here: it must still hear when the process holding its connection is gone.
            _remoteConnections.Track(ClientId, connection);
        }

        if (!SessionExists || State.Connection is not null)
        {
            await RouteRecordedAgainAsync();
            return;
        }

        if (HasExpired())
        {
            await EndSessionAsync();
        }
        else
        {
            ScheduleDisconnectedTimers();
        }
    }

    public override async ValueTask<object?> ReceiveAsync(object message)
    {
        object? reply = PacketHandled.Instance;
        switch (message)
        {
            case DeliverMessage deliver:
                OnDeliver(deliver);
                AcknowledgeDelivery(deliver.Receipt);
                reply = null;
                break;
            case DeliveryAcknowledged acknowledged:
                OnDeliveryAcknowledged(acknowledged);
                reply = null;
                break;
            case SessionPacket packet when packet.Connection == State.Connection:
                await OnPacketAsync(packet.Packet);
                break;
            case SessionConnect connect:
                reply = await OnConnectAsync(connect);
                break;
            case SessionDisconnect disconnect when disconnect.Connection == State.Connection:
                OnDisconnectExpiryChange(disconnect.SessionExpiryInterval);
                await DetachAsync(publishWill: disconnect.ReasonCode == ReasonCode.DisconnectWithWillMessage);
                break;
            case ConnectionLost lost when lost.Connection == State.Connection:
                await DetachAsync(publishWill: true);
                break;
            case ExpireSession:
                await OnExpiryDueAsync();
                reply = null;
                break;
            case InspectSession:
                reply = SessionInspector.Describe(ClientId, State);
                break;
            case SessionPacket or SessionDisconnect or ConnectionLost:
                LogStaleConnection(Logger, ClientId, message.GetType().Name);
                break;
            default:
                throw new ArgumentException($"A session grain does not handle {message.GetType().Name}.", nameof(message));
        }

        if (_connectionGone)
        {
            await DetachAsync(publishWill: true);
        }

        return reply;
    }

    private async Task<SessionConnectResult> OnConnectAsync(SessionConnect request)
    {
        var connect = request.Connect;
        var version = connect.ProtocolVersion;
        var requestedExpiry = version == MqttProtocolVersion.V500
            ? connect.Properties.SessionExpiryInterval ?? 0
            : connect.CleanStart ? 0 : uint.MaxValue;
        var expiry = Math.Min(requestedExpiry, _options.MaxSessionExpiryInterval);
        CancelTimers();
        ForgetPendingPublishes();

        var takenOver = false;
        if (State.Connection is { } previous && previous != request.Connection)
        {
            takenOver = true;
            LogTakenOver(Logger, ClientId);
            GrainFactory.GetObserver(previous)
                .Tell(new CloseConnection(ReasonCode.SessionTakenOver, "Another connection took over the session"));
        }

        // A new connection to the session arrived: the previous connection's will is published only when the
        // session ends now (clean start) or when it was due at once anyway (takeover with no will delay).
        if (State.Will is { } will)
        {
            if (connect.CleanStart || (takenOver && will.DelayInterval == 0))
            {
                await PublishWillAsync();
            }
            else
            {
                State.Will = null;
                State.WillDueAtUnixMs = null;
            }
        }

        if (SessionExists && (connect.CleanStart || HasExpired()))
        {
            await EndSessionAsync();
        }

        var sessionPresent = SessionExists;
        State.ProtocolVersion = version;
        State.Connection = request.Connection;
        State.SessionExpiryInterval = expiry;
        State.DisconnectedAtUnixMs = null;
        State.ReceiveMaximum = connect.Properties.ReceiveMaximum ?? ushort.MaxValue;
        State.MaximumPacketSize = connect.Properties.MaximumPacketSize ?? 0;
        State.Will = connect.Will is null ? null : MessageConversions.ToWill(connect.Will);
        _connectedClients.Attach(ClientId);
        _remoteConnections.Track(ClientId, request.Connection);

        var connAckProperties = request.ConnAckProperties;
        if (version == MqttProtocolVersion.V500 && expiry != requestedExpiry)
        {
            connAckProperties = connAckProperties with { SessionExpiryInterval = expiry };
        }

        await WriteStateAsync();
        Send(new ConnAckPacket(sessionPresent, ReasonCode.Success, connAckProperties));
        ResendInflight();
        FillWindow();
        return new SessionConnectResult(true, sessionPresent, ReasonCode.Success);
    }

    private void OnDisconnectExpiryChange(uint? requested)
    {
        if (requested is not { } expiry)
        {
            return;
        }

        if (State.SessionExpiryInterval == 0 && expiry != 0)
        {
            // MQTT 5 forbids raising the expiry from zero at DISCONNECT; the session ends as agreed at CONNECT.
            LogExpiryRaiseIgnored(Logger, ClientId);
            return;
        }

        State.SessionExpiryInterval = Math.Min(expiry, _options.MaxSessionExpiryInterval);
    }

    /// <summary>The client is gone: keep the session (or end it when its expiry is zero) and start the will's clock.</summary>
    private async Task DetachAsync(bool publishWill)
    {
        _connectionGone = false;
        ForgetPendingPublishes();
        _connectedClients.Detach(ClientId);
        _remoteConnections.Untrack(ClientId);
        State.Connection = null;
        State.DisconnectedAtUnixMs = NowUnixMs;
        if (!publishWill)
        {
            State.Will = null;
        }

        if (State.SessionExpiryInterval == 0)
        {
            await EndSessionAsync();
            DeactivateOnIdle();
            return;
        }

        if (State.Will is { } will)
        {
            var delaySeconds = Math.Min(will.DelayInterval, State.SessionExpiryInterval);
            if (delaySeconds == 0)
            {
                await PublishWillAsync();
            }
            else
            {
                State.WillDueAtUnixMs = State.DisconnectedAtUnixMs + (delaySeconds * 1000L);
            }
        }

        ScheduleWillTimer();
        if (ExpiresAtUnixMs() is { } expiresAt)
        {
            // Stored before the state: a crash between the two leaves a reminder, never a disconnected session without one.
            await _expiryReminders.RegisterAsync(ClientId, expiresAt);
        }

        await WriteStateAsync();
        LogDetached(Logger, ClientId, State.SessionExpiryInterval);
    }

    private void ScheduleDisconnectedTimers()
    {
        ScheduleWillTimer();
        ScheduleExpiry();
    }

    private void ScheduleWillTimer()
    {
        if (State.WillDueAtUnixMs is { } willDue)
        {
            // The grain must not be collected while the will waits: the timer alone only counts when it fires.
            var due = Due(willDue);
            KeepAliveFor(due + TimeSpan.FromSeconds(1));
            _willTimer = RegisterTimer(OnWillDueAsync, due, Timeout.InfiniteTimeSpan, keepAlive: true);
        }
    }

    /// <summary>
    /// A timer would die when the disconnected session hibernates, so expiry is a reminder that Tells the session
    /// <see cref="ExpireSession"/> (activating it) when it is due. The disconnect registered (and in a cluster stored)
    /// it; this keeps it in memory again after an activation.
    /// </summary>
    private void ScheduleExpiry()
    {
        if (ExpiresAtUnixMs() is { } expiresAt)
        {
            _expiryReminders.Schedule(ClientId, expiresAt);
        }
    }

    private TimeSpan Due(long atUnixMs) => TimeSpan.FromMilliseconds(Math.Max(0, atUnixMs - NowUnixMs));

    // Timers may fire a little before the wall clock reaches the due time: then they are set again for the rest.
    private async Task OnWillDueAsync()
    {
        _willTimer?.Dispose();
        _willTimer = null;
        if (State.Connection is not null || State.WillDueAtUnixMs is not { } due)
        {
            return;
        }

        if (NowUnixMs >= due)
        {
            await PublishWillAsync();
        }
        else
        {
            ScheduleWillTimer();
        }
    }

    /// <summary>
    /// The expiry reminder came (its activation may already have ended an expired session). Unless the session is
    /// still disconnected and not yet due, nothing is left to remind: the stored reminder is deleted (also when the
    /// client reconnected since, which is why the connect path need not delete it). ExpireSession is idempotent.
    /// </summary>
    private async Task OnExpiryDueAsync()
    {
        if (HasExpired())
        {
            await EndSessionAsync();
            await _expiryReminders.DeleteAsync(ClientId);
            DeactivateOnIdle();
        }
        else if (!SessionExists)
        {
            await _expiryReminders.DeleteAsync(ClientId);
            DeactivateOnIdle();
        }
        else if (State.Connection is null && ExpiresAtUnixMs() is { } expiresAt)
        {
            // Not due yet (a timer that fired early, or a stored reminder older than the expiry): remind again.
            await _expiryReminders.RegisterAsync(ClientId, expiresAt);
        }
        else
        {
            // Connected again, or never expiring now.
            await _expiryReminders.DeleteAsync(ClientId);
        }
    }

    private long? ExpiresAtUnixMs() =>
        State.DisconnectedAtUnixMs is { } disconnectedAt && State.SessionExpiryInterval != uint.MaxValue
            ? disconnectedAt + (State.SessionExpiryInterval * 1000L)
            : null;

    private bool HasExpired() => State.Connection is null && ExpiresAtUnixMs() is { } expiresAt && NowUnixMs >= expiresAt;

    private async Task PublishWillAsync()
    {
        var will = State.Will!;
        State.Will = null;
        State.WillDueAtUnixMs = null;
        MarkStateDirty();
        var message = will.MessageExpiryInterval is { } seconds
            ? will.Message with { ExpiresAtUnixMs = NowUnixMs + (seconds * 1000L) }
            : will.Message;
        LogWillPublished(Logger, ClientId, message.Topic);
        await _router.PublishAsync(message, ClientId);
    }

    /// <summary>Ends the session: its subscriptions are removed, a pending will is published, the state is deleted.</summary>
    private async Task EndSessionAsync()
    {
        CancelTimers();
        foreach (var filter in State.Subscriptions.Keys)
        {
            await GrainFactory.GetGrain(GrainTypes.Topic, filter).AskAsync(new TopicUnsubscribe(ClientId));
        }

        if (State.Will is not null)
        {
            await PublishWillAsync();
        }

        var undelivered = State.Queue.Count;
        foreach (var inflight in State.Inflight)
        {
            undelivered += inflight.Delivery is null ? 0 : 1;
        }

        if (undelivered > 0)
        {
            _counters.MessageDropped(DropReason.SessionEnded, undelivered);
        }

        _packetIdsInUse.Clear();
        _exactlyOnceIds.Clear();
        LogSessionEnded(Logger, ClientId);
        await ClearStateAsync();
    }

    private void CancelTimers()
    {
        _willTimer?.Dispose();
        _willTimer = null;
        _expiryReminders.Cancel(ClientId);
    }

    /// <summary>Sends a packet to the attached connection; false (and the session detaches after this turn) when it is gone.</summary>
    private bool Send(object packet)
    {
        if (_connectionGone || State.Connection is not { } connection)
        {
            return false;
        }

        if (GrainFactory.GetObserver(connection).Tell(packet))
        {
            return true;
        }

        _connectionGone = true;
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {ClientId} was taken over by a new connection")]
    private static partial void LogTakenOver(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {ClientId} detached from its connection; session expiry {ExpirySeconds} s")]
    private static partial void LogDetached(ILogger logger, string clientId, uint expirySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {ClientId} ended")]
    private static partial void LogSessionEnded(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {ClientId} published its will to {Topic}")]
    private static partial void LogWillPublished(ILogger logger, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {ClientId} ignored {Message} from a connection it no longer owns")]
    private static partial void LogStaleConnection(ILogger logger, string clientId, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {ClientId}: DISCONNECT may not raise a session expiry interval of 0; ignored")]
    private static partial void LogExpiryRaiseIgnored(ILogger logger, string clientId);
}
