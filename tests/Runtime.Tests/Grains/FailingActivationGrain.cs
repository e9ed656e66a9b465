namespace GrainMQ.Runtime.Tests;

/// <summary>Its OnActivateAsync fails (after an await) while the probe says failures are left.</summary>
public sealed class FailingActivationGrain : Grain
{
    public const string Type = "failing";

    private readonly Probe _probe;

    public FailingActivationGrain(Probe probe) => _probe = probe;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (_probe.ActivationFailuresLeft > 0)
        {
            _probe.ActivationFailuresLeft--;
            throw new InvalidOperationException("activation failed on purpose");
        }
    }

    public override ValueTask<object?> ReceiveAsync(object message) => new("pong");
}
