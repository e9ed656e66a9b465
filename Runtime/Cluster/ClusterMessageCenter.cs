using System.Collections.Concurrent;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Transport;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

/// <summary>
/// The cluster's <see cref="IMessageCenter"/>: decides for every grain message whether its target lives here (the
/// placement ring of the current membership view names this silo) or elsewhere, and ships it over the target silo's
/// link; routes observer messages to the process whose name the observer id carries. A gateway process owns no
/// grain: everything goes to silos. This file holds the outgoing side; <c>.Incoming.cs</c> the frames that arrive,
/// <c>.View.cs</c> membership changes (hand-over of grains, broadcast).
/// Shared state: <see cref="_view"/> is replaced whole (volatile); links, pending calls and parked messages live in
/// concurrent collections or under <see cref="_parkLock"/>.
/// </summary>
internal sealed partial class ClusterMessageCenter : IMessageCenter, IFrameHandler
{
    private readonly ClusterOptions _options;
    private readonly ClusterIdentity _identity;
    private readonly MessageSerializer _serializer;
    private readonly Lazy<IClusterMessageHandler[]> _systemHandlers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<SiloAddress, SiloLink> _links = new();
    private readonly ConcurrentDictionary<long, PendingCall> _calls = new();
    private readonly Timer _sweepTimer;
    private volatile MembershipView _view = MembershipView.Empty;
    private Catalog? _catalog;
    private ObserverRegistry? _observers;
    private TimeSpan _responseTimeout = TimeSpan.FromSeconds(30);
    private ClusterListener? _listener;
    private long _nextCorrelation;
    private volatile bool _stopped;

    public ClusterMessageCenter(
        ClusterOptions options,
        ClusterIdentity identity,
        ClusterSerializationOptions serialization,
        Func<IEnumerable<IClusterMessageHandler>> systemHandlers,
        ILogger<ClusterMessageCenter> logger)
    {
        _options = options;
        _identity = identity;
        _serializer = new MessageSerializer(serialization);
        // Resolved on first use: handlers may depend on the broadcast service, which depends on this center.
        _systemHandlers = new Lazy<IClusterMessageHandler[]>(() => [.. systemHandlers()]);
        _logger = logger;
        _handoff = new HandoffState(ConsistentHashRing.Empty, [], 0);
        Processes = new RemoteProcessMonitor(options.GatewayReconnectGrace, logger);
        _sweepTimer = new Timer(static state => ((ClusterMessageCenter)state!).SweepCalls(), this, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    public MembershipView View => _view;

    internal ClusterIdentity Identity => _identity;

    /// <summary>Which processes holding client connections are gone (fed by the listener of a silo).</summary>
    internal RemoteProcessMonitor Processes { get; }

    /// <summary>Connects the center to the runtime it serves (called once by the runtime's constructor).</summary>
    public void Attach(Catalog catalog, ObserverRegistry observers, TimeSpan responseTimeout)
    {
        _catalog = catalog;
        _observers = observers;
        _responseTimeout = responseTimeout;
    }

    /// <summary>Makes the center answer on <paramref name="listener"/> (silos).</summary>
    public void UseListener(ClusterListener listener) => _listener = listener;

    public void Send(Envelope envelope) => Route(envelope, 0);

    public bool SendToObserver(ObserverId target, object message)
    {
        if (target.Silo == _identity.Name)
        {
            return _observers!.TryDeliver(target, message);
        }

        byte[] frame;
        try
        {
            var writer = FrameWriter.Rent(FrameKind.Observer);
            writer.WriteObserverId(target);
            _serializer.WriteBody(writer, message);
            frame = writer.ToArray();
        }
        catch (NotSupportedException ex)
        {
            ClusterLog.SerializationFailed(_logger, ex, message.GetType().Name);
            return false;
        }

        if (_view.FindLive(target.Silo) is { } silo)
        {
            var link = GetLink(silo.Address);
            return link.State != LinkState.Unreachable && link.TrySend(new OutgoingFrame(frame, null));
        }

        return _listener is not null && _listener.TrySendToClient(target.Silo, new OutgoingFrame(frame, null));
    }

    public bool OwnsLocally(GrainId id) =>
        _identity.Role == ClusterRole.Silo
        && !_stopped
        && _view.Ring.TryGetOwner(id, out var owner)
        && owner == _identity.Address;

    public void Reroute(Envelope envelope)
    {
        if (_stopped)
        {
            _catalog!.Reject(envelope, "this process is leaving the cluster");
            return;
        }

        Route(envelope, 0);
    }

    /// <summary>Stops routing: pending calls fail, links close (used when the process leaves or is declared dead).</summary>
    public void Stop()
    {
        _stopped = true;
        _sweepTimer.Dispose();
        Processes.Dispose();
        foreach (var link in _links.Values)
        {
            DropQueued(link.Close(), "this process is leaving the cluster");
        }

        _links.Clear();
        foreach (var call in _calls.Values)
        {
            call.Response.Fail(new SiloUnavailableException("This process left the cluster before the reply arrived."));
        }

        _calls.Clear();
        ReleaseParked();
    }

    private void Route(Envelope envelope, int hops)
    {
        if (envelope.Kind != EnvelopeKind.Message)
        {
            _catalog!.Deliver(envelope);
            return;
        }

        if (_stopped)
        {
            _catalog!.Reject(envelope, "this process has left the cluster");
            return;
        }

        var view = _view;
        if (!view.Ring.TryGetOwner(envelope.Target, out var owner))
        {
            // No active silo yet (cluster starting) or any more: hold it until the view changes.
            Park(envelope, hops);
            return;
        }

        if (_identity.Role == ClusterRole.Silo && (owner == _identity.Address || hops >= _options.MaxForwardHops))
        {
            DeliverLocally(envelope, hops);
            return;
        }

        SendRemote(owner, envelope, hops);
    }

    private void DeliverLocally(Envelope envelope, int hops)
    {
        if (ShouldPark(envelope.Target))
        {
            Park(envelope, hops);
            return;
        }

        _catalog!.Deliver(envelope);
    }

    private void SendRemote(SiloAddress owner, Envelope envelope, int hops)
    {
        var link = GetLink(owner);
        var response = envelope.Response;
        if (response is not null && link.State == LinkState.Unreachable)
        {
            response.Fail(new SiloUnavailableException($"Silo {owner}, which owns grain {envelope.Target}, is unreachable."));
            return;
        }

        byte[] frame;
        long correlation = 0;
        try
        {
            var writer = FrameWriter.Rent(response is null ? FrameKind.OneWay : FrameKind.Request);
            if (response is not null)
            {
                correlation = Interlocked.Increment(ref _nextCorrelation);
                writer.WriteInt64(correlation);
            }

            writer.WriteByte((byte)hops);
            writer.WriteGrainId(envelope.Target);
            _serializer.WriteBody(writer, envelope.Body);
            frame = writer.ToArray();
        }
        catch (NotSupportedException ex)
        {
            FailOrLog(envelope, ex);
            return;
        }

        if (response is not null)
        {
            _calls[correlation] = new PendingCall(response, owner, Environment.TickCount64);
        }

        if (!link.TrySend(new OutgoingFrame(frame, envelope)))
        {
            if (response is not null)
            {
                _calls.TryRemove(correlation, out _);
                response.Fail(new SiloUnavailableException($"Silo {owner}, which owns grain {envelope.Target}, cannot take more messages."));
            }
            else
            {
                ClusterLog.OneWayDropped(_logger, envelope.Body.GetType().Name, envelope.Target, owner);
            }
        }
    }

    private SiloLink GetLink(SiloAddress target)
    {
        if (_links.TryGetValue(target, out var link))
        {
            return link;
        }

        var created = new SiloLink(target, _identity.Hello, _options, this, OnConnectionLost, _logger);
        if (_links.TryAdd(target, created))
        {
            return created;
        }

        created.Close();
        return _links[target];
    }

    // A connection to `silo` broke: requests written to it may never be answered.
    private void OnConnectionLost(SiloAddress silo)
    {
        foreach (var (correlation, call) in _calls)
        {
            if (call.Target == silo && _calls.TryRemove(correlation, out _))
            {
                call.Response.Fail(new SiloUnavailableException($"The connection to silo {silo} broke before the reply arrived."));
            }
        }
    }

    private void FailOrLog(Envelope envelope, Exception error)
    {
        if (envelope.Response is { } response)
        {
            response.Fail(error);
        }
        else
        {
            ClusterLog.SerializationFailed(_logger, error, envelope.Body.GetType().Name);
        }
    }

    // Requests whose caller gave up (timeout, cancellation) are forgotten here; so are forwarded requests whose silo
    // never answered.
    private void SweepCalls()
    {
        var now = Environment.TickCount64;
        var limit = (long)(_responseTimeout.TotalMilliseconds * 2);
        foreach (var (correlation, call) in _calls)
        {
            if (call.Response.Task.IsCompleted || now - call.StartedTicks > limit)
            {
                if (_calls.TryRemove(correlation, out _))
                {
                    call.Response.Fail(new TimeoutException($"No reply from silo {call.Target}."));
                }
            }
        }
    }

    private void DropQueued(List<OutgoingFrame> frames, string reason)
    {
        foreach (var frame in frames)
        {
            if (frame.Envelope is { Response: { } response })
            {
                response.Fail(new SiloUnavailableException(reason));
            }
        }
    }

    private readonly record struct PendingCall(PendingResponse Response, SiloAddress Target, long StartedTicks);
}
