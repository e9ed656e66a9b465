using GrainMQ.Runtime.Cgroups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace GrainMQ.Runtime.Tests.Cgroups;

/// <summary>Stands in for the grain scheduler (owned by the runtime) and records every resize.</summary>
internal sealed class RecordingScheduler(int workers) : IGrainScheduler
{
    public List<int> Resizes { get; } = [];

    public int WorkerCount { get; private set; } = workers;

    public int QueuedActivations => 0;

    public void SetWorkerCount(int workers)
    {
        Resizes.Add(workers);
        WorkerCount = workers;
    }
}

/// <summary>
/// Stands in for the process-wide thread pool, which these tests must not shrink under the test host; it accepts
/// whatever it is given and records it. The real pool is exercised by ProcessThreadPoolTests.
/// </summary>
internal sealed class RecordingThreadPool : IThreadPoolControl
{
    private ThreadPoolLimits _limits = new(2, 32767, 1, 1000);

    public List<ThreadPoolLimits> Applied { get; } = [];

    public ThreadPoolLimits Read() => _limits;

    public ThreadPoolLimits Apply(ThreadPoolLimits limits)
    {
        Applied.Add(limits);
        _limits = limits;
        return limits;
    }
}

/// <summary>Keeps every formatted log line.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add(formatter(state, exception));
        }
    }
}

/// <summary>Configuration from "Section:Key" pairs, through the indexer only (what SchedulingOptions reads).</summary>
internal sealed class KeyValueConfiguration(params (string Key, string Value)[] pairs) : IConfiguration
{
    private readonly Dictionary<string, string> _values = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    public string? this[string key]
    {
        get => _values.GetValueOrDefault(key);
        set => throw new NotSupportedException();
    }

    public IEnumerable<IConfigurationSection> GetChildren() => throw new NotSupportedException();

    public IChangeToken GetReloadToken() => throw new NotSupportedException();

    public IConfigurationSection GetSection(string key) => throw new NotSupportedException();
}
