namespace GrainMQ.Runtime.Tests;

/// <summary>
/// Fairness: the driver's single turn floods one grain and then tells a witness, so both are queued behind each other
/// before the (only) worker moves on. The witness records how much of the flood was processed before its turn.
/// </summary>
public sealed class FloodGrain : Grain
{
    public const string Type = "flood";

    private readonly Probe _probe;

    public FloodGrain(Probe probe) => _probe = probe;

    public override ValueTask<object?> ReceiveAsync(object message)
    {
        switch (message)
        {
            case Flood flood:
                var target = GrainFactory.GetGrain(Type, flood.Target);
                var increment = new Increment();
                for (var i = 0; i < flood.Messages; i++)
                {
                    target.Tell(increment);
                }

                GrainFactory.GetGrain(Type, flood.Witness).Tell(new Witness());
                return default;
            case Increment:
                _probe.CountFlood();
                return default;
            case Witness:
                _probe.FloodProcessedAtWitness = _probe.FloodProcessed;
                _probe.Signal("witness").TrySetResult();
                return default;
            default:
                throw new ArgumentException($"Unexpected message {message}.", nameof(message));
        }
    }
}
