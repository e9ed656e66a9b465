namespace GrainMQ.Runtime.Tests;

/// <summary>Records the order in which messages arrive and counts turns that overlapped another turn.</summary>
public sealed class SequenceGrain : Grain
{
    public const string Type = "sequence";

    private readonly List<Sequenced> _observed = [];
    private int _inTurn;
    private int _overlaps;

    public override ValueTask<object?> ReceiveAsync(object message) => message switch
    {
        Sequenced sequenced => RecordAsync(sequenced),
        GetObserved => new ValueTask<object?>(new Observed([.. _observed], _overlaps)),
        _ => throw new ArgumentException($"Unexpected message {message}.", nameof(message)),
    };

    private async ValueTask<object?> RecordAsync(Sequenced message)
    {
        if (Interlocked.Increment(ref _inTurn) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        _observed.Add(message);
        if (message.Await)
        {
            await Task.Yield();
        }

        Interlocked.Decrement(ref _inTurn);
        return null;
    }
}
