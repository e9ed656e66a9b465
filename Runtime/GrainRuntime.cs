using System.Diagnostics.Metrics;
using GrainMQ.Runtime.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrainMQ.Runtime;

/// <summary>
/// The virtual-actor runtime of one silo: activations, turns, idle collection and storage. It starts its scheduler
/// workers when constructed (so messages sent before the host starts are processed); <see cref="StopAsync"/> deactivates
/// every activation, writing its state, and <see cref="Dispose"/> stops the workers without writing state.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IHostedService, IAsyncDisposable, IDisposable
{
    private readonly GrainScheduler _scheduler;
    private readonly ResponseTracker _responses;
    private readonly IMessageCenter _messageCenter;
    private readonly ObserverRegistry _observers;
    private readonly Timer _collectionTimer;
    private readonly CancellationTokenSource _shutdown = new();
    private int _disposed;

    internal GrainRuntime(
        RuntimeOptions options,
        IEnumerable<GrainTypeRegistration> grainTypes,
        IGrainStorage storage,
        IServiceProvider services,
        ILoggerFactory? loggerFactory)
    {
        Validate(options);
        ShutdownToken = _shutdown.Token;
        loggerFactory ??= NullLoggerFactory.Instance;
        Options = options;
        Storage = storage;
        Services = services;
        Logger = loggerFactory.CreateLogger<GrainRuntime>();
        Types = new GrainTypeRegistry(grainTypes, options.DefaultIdleTimeout, loggerFactory);
        RuntimeStatistics = new RuntimeStatistics(Types, Logger);
        CallInstruments = new GrainCallInstruments(
            services.GetService<IMeterFactory>(),
            services.GetService<IOptions<GrainCallMetricsOptions>>()?.Value ?? new GrainCallMetricsOptions());
        Catalog = new Catalog(this);
        _observers = new ObserverRegistry(options.SiloName, Logger);
        if (services.GetService(typeof(Cluster.ClusterMessageCenter)) is Cluster.ClusterMessageCenter cluster)
        {
            cluster.Attach(Catalog, _observers, options.ResponseTimeout);
            _messageCenter = cluster;
        }
        else
        {
            _messageCenter = new LocalMessageCenter(Catalog, _observers);
        }

        _responses = new ResponseTracker(options.ResponseTimeout);
        _scheduler = new GrainScheduler(options.SchedulerWorkers, Logger);
        _collectionTimer = new Timer(
            static state => ((Catalog)state!).CollectIdleActivations(),
            Catalog,
            options.CollectionInterval,
            options.CollectionInterval);
    }

    /// <summary>The scheduler that runs grain turns.</summary>
    public IGrainScheduler Scheduler => _scheduler;

    /// <summary>Activation counters and events.</summary>
    public IRuntimeStatistics Statistics => RuntimeStatistics;

    /// <summary>The registry of observers (gateway connections).</summary>
    public IObserverRegistry Observers => _observers;

    /// <summary>The registered grain types and their idle timeouts.</summary>
    public IGrainTypeRegistry GrainTypes => Types;

    internal RuntimeOptions Options { get; }

    internal IGrainStorage Storage { get; }

    internal IServiceProvider Services { get; }

    internal ILogger Logger { get; }

    internal GrainTypeRegistry Types { get; }

    internal RuntimeStatistics RuntimeStatistics { get; }

    internal GrainCallInstruments CallInstruments { get; }

    internal Catalog Catalog { get; }

    internal GrainScheduler WorkScheduler => _scheduler;

    internal IMessageCenter MessageCenter => _messageCenter;

    internal CancellationToken ShutdownToken { get; }

    /// <inheritdoc />
    public GrainReference GetGrain(GrainId id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id.Type, nameof(id));
        ArgumentNullException.ThrowIfNull(id.Key, nameof(id));
        return new GrainReference(id, this);
    }

    /// <inheritdoc />
    public GrainReference GetGrain(string type, string key) => GetGrain(new GrainId(type, key));

    /// <inheritdoc />
    public ObserverReference GetObserver(ObserverId id) => new(id, this);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.RuntimeStarted(Logger, Options.SiloName, _scheduler.WorkerCount, Types.GrainTypes.Count);
        return Task.CompletedTask;
    }

    /// <summary>Refuses new activations, deactivates every activation (writing state), then stops the workers.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Catalog.RefuseNewActivations();
        try
        {
            await DeactivateAllAsync(cancellationToken);
        }
        finally
        {
            Log.RuntimeStopped(Logger, Options.SiloName);
            Dispose();
        }
    }

    /// <summary>
    /// Deactivates every activation with reason <see cref="DeactivationReason.ShuttingDown"/>: each finishes its queued
    /// messages, runs <see cref="Grain.OnDeactivateAsync"/> and writes its state. Completes when no activation is left.
    /// </summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        var pending = new List<Task>();
        while (Catalog.AddDeactivationTasks(pending, DeactivationReason.ShuttingDown))
        {
            await Task.WhenAll(pending).WaitAsync(cancellationToken);
            pending.Clear();
        }
    }

    /// <summary>Stops workers and timers without deactivating; pending Ask calls fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Catalog.RefuseNewActivations();
        _collectionTimer.Dispose();
        _shutdown.Cancel();
        _scheduler.Dispose();
        _responses.Dispose();
        _shutdown.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal Task<object?> AskAsync(GrainId target, object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<object?>(cancellationToken);
        }

        var response = new PendingResponse(target);
        _responses.Track(response, cancellationToken);
        _messageCenter.Send(new Envelope(target, message, response));
        return response.Task;
    }

    internal void Tell(GrainId target, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messageCenter.Send(new Envelope(target, message, response: null));
    }

    internal bool TellObserver(ObserverId target, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _messageCenter.SendToObserver(target, message);
    }

    private static void Validate(RuntimeOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SiloName, "RuntimeOptions.SiloName");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SchedulerWorkers, 1, "RuntimeOptions.SchedulerWorkers");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTurnsPerSlice, 1, "RuntimeOptions.MaxTurnsPerSlice");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultIdleTimeout, TimeSpan.Zero, "RuntimeOptions.DefaultIdleTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CollectionInterval, TimeSpan.Zero, "RuntimeOptions.CollectionInterval");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ResponseTimeout, TimeSpan.Zero, "RuntimeOptions.ResponseTimeout");
    }
}
