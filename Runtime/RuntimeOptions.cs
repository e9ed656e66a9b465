namespace GrainMQ.Runtime;

/// <summary>Settings of the grain runtime (configuration section suggested: "Runtime").</summary>
public sealed class RuntimeOptions
{
    /// <summary>The name of this process; every <see cref="ObserverId"/> it hands out carries it.</summary>
    public string SiloName { get; set; } = "silo-" + Environment.MachineName;

    /// <summary>How many scheduler worker threads run grain turns (at least 1). Resizable at run time through <see cref="IGrainScheduler"/>.</summary>
    public int SchedulerWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>Fairness: an activation gives up its worker after this many turns and goes to the back of the run queue.</summary>
    public int MaxTurnsPerSlice { get; set; } = 64;

    /// <summary>Idle timeout of grain types registered without one: an activation without messages for this long is deactivated.</summary>
    public TimeSpan DefaultIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often activations are scanned for idleness (the granularity of idle collection).</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="GrainReference.AskAsync(object, CancellationToken)"/> waits for a reply before a <see cref="TimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
