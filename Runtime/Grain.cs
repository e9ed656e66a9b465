using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime;

/// <summary>
/// A virtual actor. The runtime creates one instance per activation (through dependency injection, so constructors
/// may take services), feeds it one message at a time (<see cref="ReceiveAsync"/>), and drops it when it is collected.
/// A grain owns its fields: nothing else touches them, and it talks to other grains only by messages.
/// </summary>
public abstract class Grain
{
    // Set by the runtime around the grain's construction so that the constructor can already use Id, Logger, GrainFactory.
    [ThreadStatic]
    private static ActivationData? t_constructing;

    private readonly ActivationData? _activation;

    /// <summary>Creates the grain; only the runtime constructs grains.</summary>
    protected Grain() => _activation = t_constructing;

    /// <summary>The identity of this grain.</summary>
    public GrainId Id => Activation.Id;

    /// <summary>References to other grains and to observers (gateway connections).</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>A logger whose category is the grain's CLR type.</summary>
    protected ILogger Logger => Activation.GrainType.Logger;

    internal ActivationData Activation =>
        _activation ?? throw new InvalidOperationException("This grain was not created by the grain runtime.");

    /// <summary>Called once per activation, after the state was read and before the first message.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called once when the activation is deactivated; state marked dirty is written afterwards. Not called after a lost
    /// state write (<see cref="DeactivationReason.StateConflict"/>).
    /// </summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One turn: handles one message and returns the reply (for <see cref="GrainReference.AskAsync(object, CancellationToken)"/>)
    /// or null. Never called concurrently for one activation; the next message waits until the returned task completes.
    /// An exception fails this message's Ask; the activation keeps working. There is no reentrancy: while a turn awaits
    /// (for example an AskAsync to another grain), this activation takes no other message, so a call cycle (A asks B,
    /// B asks A) waits until <see cref="RuntimeOptions.ResponseTimeout"/>; answer back with Tell instead.
    /// </summary>
    public abstract ValueTask<object?> ReceiveAsync(object message);

    /// <summary>
    /// Registers a timer whose <paramref name="callback"/> runs as a turn of this activation (never concurrently with
    /// <see cref="ReceiveAsync"/>). The next tick is due <paramref name="period"/> after the callback completes;
    /// <see cref="Timeout.InfiniteTimeSpan"/> makes it fire once. Without <paramref name="keepAlive"/> the timer does not
    /// count as activity: the activation may be collected (and the timer disposed) before it fires. With it, the
    /// activation is not collected while the timer is pending, and every tick resets the idle clock.
    /// Disposed automatically on deactivation.
    /// </summary>
    protected IDisposable RegisterTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive = false)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "The due time must not be negative.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be positive or infinite.");
        }

        return Activation.RegisterTimer(callback, dueTime, period, keepAlive);
    }

    /// <summary>Deactivates this activation after the current turn; later messages go to a new activation.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.Requested);

    /// <summary>Keeps this activation from idle collection until at least now + <paramref name="duration"/>.</summary>
    protected void KeepAliveFor(TimeSpan duration) => Activation.KeepAliveFor(duration);

    internal static Grain Create(ActivationData activation, ObjectFactory factory, IServiceProvider services)
    {
        t_constructing = activation;
        try
        {
            return (Grain)factory(services, []);
        }
        finally
        {
            t_constructing = null;
        }
    }

    // State hooks, overridden by Grain<TState>.
    internal virtual Task LoadStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal virtual Task PersistIfDirtyAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
