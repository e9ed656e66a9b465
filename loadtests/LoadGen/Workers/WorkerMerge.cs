using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Workers;

/// <summary>Adds up what several workers report: their latest totals while running, and their final summaries.</summary>
public sealed class WorkerMerge
{
    private readonly CounterSnapshot[] _latest;
    private readonly RunSummary?[] _finals;
    private readonly Lock _gate = new();

    public WorkerMerge(int workerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        _latest = new CounterSnapshot[workerCount];
        Array.Fill(_latest, CounterSnapshot.Zero);
        _finals = new RunSummary?[workerCount];
    }

    /// <summary>Takes one line of worker <paramref name="workerIndex"/>'s output; false when it was not a worker message.</summary>
    public bool Accept(int workerIndex, string line)
    {
        var message = WorkerMessage.TryParse(line);
        if (message is null)
        {
            return false;
        }

        lock (_gate)
        {
            _latest[workerIndex] = message.Counters ?? _latest[workerIndex];
            if (message.Summary is not null)
            {
                _finals[workerIndex] = message.Summary;
            }
        }

        return true;
    }

    /// <summary>The sum of every worker's latest totals.</summary>
    public CounterSnapshot Totals()
    {
        lock (_gate)
        {
            var total = CounterSnapshot.Zero;
            foreach (var counters in _latest)
            {
                total = total.Plus(counters);
            }

            return total;
        }
    }

    /// <summary>The workers that ended without a final summary.</summary>
    public IReadOnlyList<int> Missing()
    {
        lock (_gate)
        {
            var missing = new List<int>();
            for (var index = 0; index < _finals.Length; index++)
            {
                if (_finals[index] is null)
                {
                    missing.Add(index);
                }
            }

            return missing;
        }
    }

    /// <summary>The merged final summary of every worker that sent one.</summary>
    public RunSummary? Result()
    {
        lock (_gate)
        {
            var finals = new List<RunSummary>();
            foreach (var summary in _finals)
            {
                if (summary is not null)
                {
                    finals.Add(summary);
                }
            }

            return finals.Count == 0 ? null : Merge(finals);
        }
    }

    /// <summary>One summary holding all of <paramref name="parts"/>: counters, errors and histogram buckets added, windows joined.</summary>
    public static RunSummary Merge(IReadOnlyList<RunSummary> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        var latency = new LatencyHistogram();
        var connectLatency = new LatencyHistogram();
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var reasons = new SortedSet<string>(StringComparer.Ordinal);
        var counters = CounterSnapshot.Zero;
        var connectWindow = TimeWindow.None;
        var pubWindow = TimeWindow.None;
        var recvWindow = TimeWindow.None;
        var workers = 0;
        var elapsed = 0.0;
        foreach (var part in parts)
        {
            workers += part.Workers;
            elapsed = Math.Max(elapsed, part.ElapsedSeconds);
            reasons.Add(part.EndReason);
            counters = counters.Plus(part.Counters);
            connectWindow = connectWindow.Union(part.ConnectWindow);
            pubWindow = pubWindow.Union(part.PubWindow);
            recvWindow = recvWindow.Union(part.RecvWindow);
            latency.Add(part.Latency);
            connectLatency.Add(part.ConnectLatency);
            foreach (var (reason, count) in part.Errors)
            {
                errors[reason] = errors.GetValueOrDefault(reason) + count;
            }
        }

        return new RunSummary(
            parts[0].Mode,
            workers,
            elapsed,
            string.Join('+', reasons),
            counters,
            connectWindow,
            pubWindow,
            recvWindow,
            latency.ToSnapshot(),
            connectLatency.ToSnapshot(),
            errors);
    }
}
