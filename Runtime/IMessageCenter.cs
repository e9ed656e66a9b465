namespace GrainMQ.Runtime;

/// <summary>
/// The seam between callers and activations. Every grain message and every observer message passes through here.
/// Today <see cref="LocalMessageCenter"/> delivers everything in process; the cluster issue replaces it with one that
/// looks up where a grain lives (placement/directory) or which silo owns an observer and forwards the envelope over a
/// transport when it is not local. Callers and activations do not change.
/// </summary>
internal interface IMessageCenter
{
    /// <summary>Routes <paramref name="envelope"/> to the activation of its target, activating it if needed. Never blocks.</summary>
    void Send(Envelope envelope);

    /// <summary>Hands <paramref name="message"/> to the observer; false when it is gone.</summary>
    bool SendToObserver(ObserverId target, object message);

    /// <summary>Whether <paramref name="id"/> belongs in this silo (a deactivated grain's successor is created here only then).</summary>
    bool OwnsLocally(GrainId id);

    /// <summary>Routes again a message left in the mailbox of an activation that died without a local successor.</summary>
    void Reroute(Envelope envelope);
}

/// <summary>Delivers every message inside this process.</summary>
internal sealed class LocalMessageCenter : IMessageCenter
{
    private readonly Catalog _catalog;
    private readonly ObserverRegistry _observers;

    public LocalMessageCenter(Catalog catalog, ObserverRegistry observers)
    {
        _catalog = catalog;
        _observers = observers;
    }

    public void Send(Envelope envelope) => _catalog.Deliver(envelope);

    public bool SendToObserver(ObserverId target, object message) => _observers.TryDeliver(target, message);

    public bool OwnsLocally(GrainId id) => true;

    public void Reroute(Envelope envelope) => _catalog.Reject(envelope, "the grain runtime is stopping");
}
