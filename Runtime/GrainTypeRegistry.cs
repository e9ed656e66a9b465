using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime;

/// <summary>One registered grain type: how to build its grains, its idle timeout and its counters.</summary>
internal sealed class GrainTypeInfo
{
    private long _idleTimeoutMilliseconds;
    private long _activations;
    private long _deactivations;
    private int _live;
    private long _messagesProcessed;

    public GrainTypeInfo(string name, Type grainClass, TimeSpan idleTimeout, ILogger logger)
    {
        Name = name;
        GrainClass = grainClass;
        Factory = ActivatorUtilities.CreateFactory(grainClass, Type.EmptyTypes);
        Logger = logger;
        IdleTimeout = idleTimeout;
    }

    public string Name { get; }

    public Type GrainClass { get; }

    public ObjectFactory Factory { get; }

    /// <summary>The logger handed to grains of this type (category = the grain class).</summary>
    public ILogger Logger { get; }

    public long IdleTimeoutMilliseconds => Interlocked.Read(ref _idleTimeoutMilliseconds);

    public TimeSpan IdleTimeout
    {
        get => TimeSpan.FromMilliseconds(IdleTimeoutMilliseconds);
        set => Interlocked.Exchange(ref _idleTimeoutMilliseconds, (long)Math.Ceiling(value.TotalMilliseconds));
    }

    public int Live => Volatile.Read(ref _live);

    public void CountActivation()
    {
        Interlocked.Increment(ref _activations);
        Interlocked.Increment(ref _live);
    }

    public void CountDeactivation()
    {
        Interlocked.Increment(ref _deactivations);
        Interlocked.Decrement(ref _live);
    }

    public void CountMessage() => Interlocked.Increment(ref _messagesProcessed);

    public GrainTypeStatistics Snapshot() => new(
        Name,
        Interlocked.Read(ref _activations),
        Interlocked.Read(ref _deactivations),
        Volatile.Read(ref _live),
        Interlocked.Read(ref _messagesProcessed));
}

/// <summary>The grain types registered with AddGrain; fixed after construction apart from idle timeouts.</summary>
internal sealed class GrainTypeRegistry : IGrainTypeRegistry
{
    private readonly FrozenDictionary<string, GrainTypeInfo> _types;

    public GrainTypeRegistry(IEnumerable<GrainTypeRegistration> registrations, TimeSpan defaultIdleTimeout, ILoggerFactory loggerFactory)
    {
        var types = new Dictionary<string, GrainTypeInfo>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (types.ContainsKey(registration.Type))
            {
                throw new InvalidOperationException($"Grain type '{registration.Type}' is registered twice.");
            }

            types.Add(registration.Type, new GrainTypeInfo(
                registration.Type,
                registration.GrainClass,
                registration.IdleTimeout ?? defaultIdleTimeout,
                loggerFactory.CreateLogger(registration.GrainClass)));
        }

        _types = types.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> GrainTypes => _types.Keys;

    public IEnumerable<GrainTypeInfo> All => _types.Values;

    public bool TryGet(string grainType, out GrainTypeInfo info) => _types.TryGetValue(grainType, out info!);

    public TimeSpan GetIdleTimeout(string grainType) => Get(grainType).IdleTimeout;

    public void SetIdleTimeout(string grainType, TimeSpan idleTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idleTimeout, TimeSpan.Zero);
        Get(grainType).IdleTimeout = idleTimeout;
    }

    private GrainTypeInfo Get(string grainType) =>
        _types.TryGetValue(grainType, out var info)
            ? info
            : throw new ArgumentException($"Grain type '{grainType}' is not registered.", nameof(grainType));
}
