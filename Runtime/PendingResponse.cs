namespace GrainMQ.Runtime;

/// <summary>
/// The caller's side of one AskAsync: completed by the activation's turn, by the <see cref="ResponseTracker"/> on
/// timeout, or by the caller's cancellation token, whichever comes first. Continuations run asynchronously so that a
/// caller never runs on a scheduler worker's stack.
/// </summary>
internal sealed class PendingResponse : TaskCompletionSource<object?>
{
    public PendingResponse(GrainId target)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => Target = target;

    public GrainId Target { get; }

    // Owned by ResponseTracker and only touched under its lock: the links of the deadline-ordered list.
    internal PendingResponse? Previous { get; set; }

    internal PendingResponse? Next { get; set; }

    internal long DeadlineTicks { get; set; }

    internal bool Linked { get; set; }

    internal ResponseTracker? Tracker { get; set; }

    internal CancellationTokenRegistration Cancellation { get; set; }

    public void Complete(object? result)
    {
        Untrack();
        TrySetResult(result);
    }

    public void Fail(Exception exception)
    {
        Untrack();
        TrySetException(exception);
    }

    internal void Cancel(CancellationToken cancellationToken)
    {
        Untrack();
        TrySetCanceled(cancellationToken);
    }

    private void Untrack()
    {
        Tracker?.Remove(this);
        Cancellation.Unregister();
    }
}
