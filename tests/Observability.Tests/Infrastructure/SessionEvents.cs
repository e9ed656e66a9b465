using GrainMQ.Grains.Interfaces;
using GrainMQ.Runtime;

namespace GrainMQ.Observability.Tests.Infrastructure;

/// <summary>Signals about the session grain of one client, from the runtime's Deactivated event.</summary>
internal sealed class SessionEvents : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IRuntimeStatistics _statistics;
    private readonly GrainId _session;
    private readonly SemaphoreSlim _deactivations = new(0);
    private long _count;

    public SessionEvents(IRuntimeStatistics statistics, string clientId)
    {
        _statistics = statistics;
        _session = new GrainId(GrainTypes.Session, clientId);
        statistics.Deactivated += OnDeactivated;
    }

    /// <summary>How often the session was deactivated since this object was created.</summary>
    public long Deactivations => Interlocked.Read(ref _count);

    /// <summary>Completes at the session's next deactivation.</summary>
    public Task NextDeactivationAsync() => _deactivations.WaitAsync(Timeout);

    /// <summary>
    /// Completes once the session is out of memory (<paramref name="isLive"/> false), checking again at each of its
    /// deactivations, so a session that slept and was woken again before the call is waited for correctly.
    /// </summary>
    public async Task HibernatedAsync(Func<bool> isLive)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (isLive())
        {
            await _deactivations.WaitAsync(deadline.Token);
        }
    }

    public void Dispose()
    {
        _statistics.Deactivated -= OnDeactivated;
        _deactivations.Dispose();
    }

    private void OnDeactivated(GrainId id, DeactivationReason reason)
    {
        if (id == _session)
        {
            Interlocked.Increment(ref _count);
            _deactivations.Release();
        }
    }
}
