using System.Collections.Concurrent;
using System.Threading.Channels;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Transport;

namespace GrainMQ.Runtime.Cluster;

// Membership changes. A new view replaces the ring at once, so new messages go to the new owners. Then, in order,
// one view at a time (ApplyLoopAsync): activations this silo no longer owns are deactivated (state written), and the
// silo tells every peer "I applied version N". A silo that gained grains holds ("parks") messages for grains it did
// not own before, and has no activation of, until their previous owner said it applied the view (or died, or
// HandoffTimeout passed): so the new activation reads the state the old one wrote, and there are never two.
internal sealed partial class ClusterMessageCenter
{
    private readonly Lock _parkLock = new();
    private readonly List<(Envelope Envelope, int Hops)> _parked = [];
    private readonly ConcurrentDictionary<SiloAddress, long> _applied = new();
    private readonly Channel<(MembershipView View, TaskCompletionSource? Done)> _applyQueue =
        Channel.CreateUnbounded<(MembershipView, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private volatile HandoffState _handoff;
    private Timer? _handoffTimer;
    private Task _applyLoop = Task.CompletedTask;

    /// <summary>Starts applying views (once the runtime is attached).</summary>
    public void StartApplying() => _applyLoop = ApplyLoopAsync();

    /// <summary>Replaces the view if <paramref name="view"/> is newer; returns a task that completes once it was applied.</summary>
    public Task ApplyView(MembershipView view)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_parkLock)
        {
            var old = _view;
            if (view.Version <= old.Version)
            {
                done.TrySetResult();
                return done.Task;
            }

            _view = view;
            if (_identity.Role == ClusterRole.Silo)
            {
                UpdateHandoff(old, view);
            }
        }

        CloseLinksToDeparted(view);
        _applyQueue.Writer.TryWrite((view, done));
        ReleaseParked();
        ViewChanged?.Invoke(view);
        return done.Task;
    }

    /// <summary>Raised when <see cref="View"/> was replaced by a newer view (tests and diagnostics wait on it).</summary>
    public event Action<MembershipView>? ViewChanged;

    /// <summary>Raised (on a read loop) when a peer says it changed the membership table.</summary>
    public event Action? MembershipChangeAnnounced;

    /// <summary>Tells every live silo and every connected gateway process to read the membership table now.</summary>
    public void AnnounceMembershipChange()
    {
        var frame = new OutgoingFrame(FrameWriter.Rent(FrameKind.MembershipChanged).ToArray(), null);
        foreach (var silo in OtherLiveSilos())
        {
            GetLink(silo).TrySend(frame);
        }

        _listener?.SendToAllClients(frame);
    }

    /// <summary>Sends <paramref name="message"/> to the <see cref="IClusterMessageHandler"/>s of every other live silo.</summary>
    public async Task BroadcastAsync(object message, CancellationToken cancellationToken)
    {
        var targets = OtherLiveSilos();
        if (targets.Length == 0)
        {
            return;
        }

        var replies = new List<Task>(targets.Length);
        foreach (var target in targets)
        {
            var link = GetLink(target);
            if (link.State == LinkState.Unreachable)
            {
                ClusterLog.BroadcastSkipped(_logger, message.GetType().Name, target);
                continue;
            }

            var correlation = Interlocked.Increment(ref _nextCorrelation);
            var writer = FrameWriter.Rent(FrameKind.SystemRequest);
            writer.WriteInt64(correlation);
            _serializer.WriteBody(writer, message);
            var response = new PendingResponse(new GrainId("silo", target.ToString()));
            _calls[correlation] = new PendingCall(response, target, Environment.TickCount64);
            if (link.TrySend(new OutgoingFrame(writer.ToArray(), null)))
            {
                replies.Add(response.Task);
            }
            else
            {
                _calls.TryRemove(correlation, out _);
            }
        }

        try
        {
            await Task.WhenAll(replies).WaitAsync(_responseTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or InvalidOperationException or RemoteGrainException)
        {
            ClusterLog.BroadcastIncomplete(_logger, ex, message.GetType().Name);
        }
    }

    /// <summary>Connects to every live silo of the view (gateways do, so that any silo can reach their observers).</summary>
    public void ConnectToLiveSilos()
    {
        foreach (var silo in OtherLiveSilos())
        {
            GetLink(silo);
        }
    }

    /// <summary>Probes <paramref name="silo"/> over its link.</summary>
    public Task<bool> PingAsync(SiloAddress silo, TimeSpan timeout) => GetLink(silo).PingAsync(timeout);

    /// <summary>Waits (bounded) until every link has written what it had queued, then stops.</summary>
    public async Task FlushAndStopAsync(TimeSpan timeout)
    {
        _applyQueue.Writer.TryComplete();
        var flushing = new List<Task>();
        foreach (var link in _links.Values)
        {
            flushing.Add(link.FlushAsync());
        }

        try
        {
            await Task.WhenAll(flushing).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            ClusterLog.FlushIncomplete(_logger, timeout);
        }

        Stop();
        await _applyLoop;
    }

    private bool ShouldPark(GrainId target)
    {
        var handoff = _handoff;
        if (handoff.Awaited.Count == 0 || _catalog!.HasActivation(target))
        {
            return false;
        }

        if (!handoff.PreviousRing.TryGetOwner(target, out var previous) && !handoff.FallbackRing.TryGetOwner(target, out previous))
        {
            return false;
        }

        return previous != _identity.Address && handoff.Awaited.Contains(previous);
    }

    private void Park(Envelope envelope, int hops)
    {
        lock (_parkLock)
        {
            if (_parked.Count < _options.MaxQueuedMessagesPerSilo)
            {
                _parked.Add((envelope, hops));
                return;
            }
        }

        _catalog!.Reject(envelope, "too many messages wait for a grain hand-over");
    }

    private void ReleaseParked()
    {
        List<(Envelope Envelope, int Hops)> released;
        lock (_parkLock)
        {
            if (_parked.Count == 0)
            {
                return;
            }

            released = [.. _parked];
            _parked.Clear();
        }

        foreach (var (envelope, hops) in released)
        {
            Route(envelope, hops);
        }
    }

    // Under _parkLock.
    private void UpdateHandoff(MembershipView old, MembershipView view)
    {
        var self = _identity.Address;
        var awaited = new HashSet<SiloAddress>();
        if (view.Ring.Contains(self))
        {
            foreach (var silo in view.LiveSilos())
            {
                if (silo != self && _applied.GetValueOrDefault(silo, -1) < view.Version)
                {
                    awaited.Add(silo);
                }
            }
        }

        // The ring before the first unsettled change stays the reference: its owners are the ones who must hand over.
        var previous = _handoff.Awaited.Count > 0 ? _handoff.PreviousRing : old.Ring;
        _handoff = new HandoffState(previous, awaited, view.Version)
        {
            FallbackRing = view.Ring.Without(self, _options.VirtualNodesPerSilo),
        };
        if (awaited.Count > 0)
        {
            _handoffTimer?.Dispose();
            _handoffTimer = new Timer(static state => ((ClusterMessageCenter)state!).EndHandoff(), this, _options.HandoffTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnViewApplied(SiloAddress silo, long version)
    {
        _applied.AddOrUpdate(silo, version, (_, known) => Math.Max(known, version));
        bool settled;
        lock (_parkLock)
        {
            var handoff = _handoff;
            if (!handoff.Awaited.Contains(silo) || version < handoff.Version)
            {
                return;
            }

            var awaited = new HashSet<SiloAddress>(handoff.Awaited);
            awaited.Remove(silo);
            _handoff = handoff with { Awaited = awaited };
            settled = awaited.Count == 0;
        }

        if (settled)
        {
            ReleaseParked();
        }
    }

    private void EndHandoff()
    {
        lock (_parkLock)
        {
            if (_handoff.Awaited.Count > 0)
            {
                ClusterLog.HandoffTimedOut(_logger, _handoff.Awaited.Count, _options.HandoffTimeout);
                _handoff = _handoff with { Awaited = [] };
            }
        }

        ReleaseParked();
    }

    private void CloseLinksToDeparted(MembershipView view)
    {
        foreach (var (address, link) in _links)
        {
            var entry = view.Find(address);
            if (entry is not null && entry.Status != SiloStatus.Dead)
            {
                continue;
            }

            if (!_links.TryRemove(new KeyValuePair<SiloAddress, SiloLink>(address, link)))
            {
                continue;
            }

            if (entry is not null)
            {
                _listener?.Disconnect(entry.SiloName);
            }

            OnViewApplied(address, long.MaxValue);
            OnConnectionLost(address);
            foreach (var frame in link.Close())
            {
                if (frame.Envelope is not { } envelope)
                {
                    continue;
                }

                if (envelope.Response is { } response)
                {
                    response.Fail(new SiloUnavailableException($"Silo {address}, which owned grain {envelope.Target}, left the cluster before the message was sent."));
                }
                else
                {
                    Route(envelope, 0);
                }
            }
        }
    }

    private async Task ApplyLoopAsync()
    {
        await foreach (var (view, done) in _applyQueue.Reader.ReadAllAsync())
        {
            try
            {
                if (_identity.Role == ClusterRole.Silo)
                {
                    await MigrateAsync();
                    var writer = FrameWriter.Rent(FrameKind.ViewApplied);
                    writer.WriteInt64(view.Version);
                    var frame = writer.ToArray();
                    foreach (var silo in OtherLiveSilos())
                    {
                        GetLink(silo).TrySend(new OutgoingFrame(frame, null));
                    }
                }
                else
                {
                    ConnectToLiveSilos();
                }
            }
            finally
            {
                done?.TrySetResult();
            }
        }
    }

    // Deactivates (state written) every activation whose grain another silo owns now.
    private async Task MigrateAsync()
    {
        var deactivations = new List<Task>();
        _catalog!.AddDeactivationTasks(deactivations, DeactivationReason.ShuttingDown, static (id, center) => !center.OwnsLocally(id), this);
        if (deactivations.Count == 0)
        {
            return;
        }

        ClusterLog.HandingOver(_logger, deactivations.Count, _view.Version);
        try
        {
            await Task.WhenAll(deactivations).WaitAsync(_options.HandoffTimeout);
        }
        catch (TimeoutException)
        {
            ClusterLog.HandoverSlow(_logger, _options.HandoffTimeout);
        }
    }

    private sealed record HandoffState(ConsistentHashRing PreviousRing, HashSet<SiloAddress> Awaited, long Version)
    {
        public ConsistentHashRing FallbackRing { get; init; } = ConsistentHashRing.Empty;
    }
}
