namespace GrainMQ.Runtime;

/// <summary>
/// Installed while a worker runs an activation. An await inside a grain turn captures it, so the continuation is posted
/// back to the activation and runs on a scheduler worker as part of the same turn (never concurrently with another turn).
/// </summary>
internal sealed class ActivationSynchronizationContext : SynchronizationContext
{
    private readonly ActivationData _activation;

    public ActivationSynchronizationContext(ActivationData activation) => _activation = activation;

    public override void Post(SendOrPostCallback d, object? state) => _activation.Post(d, state);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code must not block; synchronous Send to an activation is not supported.");

    public override SynchronizationContext CreateCopy() => this;
}

/// <summary>A continuation posted to an activation.</summary>
internal readonly record struct PostedCallback(SendOrPostCallback Callback, object? State)
{
    public void Invoke() => Callback(State);
}
