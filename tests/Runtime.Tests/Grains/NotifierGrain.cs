namespace GrainMQ.Runtime.Tests;

/// <summary>Tells an observer and replies whether the observer was there.</summary>
public sealed class NotifierGrain : Grain
{
    public const string Type = "notifier";

    public override ValueTask<object?> ReceiveAsync(object message) => message switch
    {
        NotifyObserver notify => new ValueTask<object?>(GrainFactory.GetObserver(notify.Observer).Tell(notify.Text)),
        _ => throw new ArgumentException($"Unexpected message {message}.", nameof(message)),
    };
}
