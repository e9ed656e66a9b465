using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime;

/// <summary>
/// Counters live in each <see cref="GrainTypeInfo"/>; this class reads them and raises the events (on a worker, with the
/// activation's synchronization context hidden so that handlers' async work does not run inside the activation).
/// </summary>
internal sealed class RuntimeStatistics : IRuntimeStatistics
{
    private readonly GrainTypeRegistry _types;
    private readonly ILogger _logger;

    public RuntimeStatistics(GrainTypeRegistry types, ILogger logger)
    {
        _types = types;
        _logger = logger;
    }

    public event Action<GrainId>? Activated;

    public event Action<GrainId, DeactivationReason>? Deactivated;

    public IReadOnlyList<GrainTypeStatistics> Snapshot()
    {
        var result = new List<GrainTypeStatistics>(_types.GrainTypes.Count);
        foreach (var type in _types.All)
        {
            result.Add(type.Snapshot());
        }

        return result;
    }

    public int LiveActivations(string grainType) => _types.TryGet(grainType, out var type) ? type.Live : 0;

    public void RaiseActivated(GrainId id)
    {
        var workerContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            Activated?.Invoke(id);
        }
        catch (Exception ex)
        {
            Log.EventHandlerFailed(_logger, ex, nameof(Activated), id);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(workerContext);
        }
    }

    public void RaiseDeactivated(GrainId id, DeactivationReason reason)
    {
        var workerContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            Deactivated?.Invoke(id, reason);
        }
        catch (Exception ex)
        {
            Log.EventHandlerFailed(_logger, ex, nameof(Deactivated), id);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(workerContext);
        }
    }
}
