using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime;

/// <summary>The observers registered in this silo. Thread-safe; the dictionary is the only shared state.</summary>
internal sealed class ObserverRegistry : IObserverRegistry
{
    private readonly ConcurrentDictionary<long, IGrainObserver> _observers = new();
    private readonly ILogger _logger;
    private long _lastId;

    public ObserverRegistry(string siloName, ILogger logger)
    {
        SiloName = siloName;
        _logger = logger;
    }

    public string SiloName { get; }

    public ObserverId Register(IGrainObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var id = Interlocked.Increment(ref _lastId);
        _observers[id] = observer;
        return new ObserverId(SiloName, id);
    }

    public void Unregister(ObserverId id)
    {
        if (id.Silo == SiloName)
        {
            _observers.TryRemove(id.Id, out _);
        }
    }

    public bool TryDeliver(ObserverId target, object message)
    {
        if (target.Silo != SiloName || !_observers.TryGetValue(target.Id, out var observer))
        {
            return false;
        }

        // The caller is usually a grain turn: hide its synchronization context so that any async work the observer
        // starts does not get posted into the grain's activation.
        var callerContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            observer.Receive(message);
            return true;
        }
        catch (Exception ex)
        {
            Log.ObserverFailed(_logger, ex, target.Silo, target.Id, message.GetType().Name);
            return false;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(callerContext);
        }
    }
}
