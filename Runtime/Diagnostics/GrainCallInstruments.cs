using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GrainMQ.Runtime.Diagnostics;

/// <summary>
/// The per-call instruments of one runtime, on the <see cref="RuntimeMeter.Name"/> meter of the host's
/// <see cref="IMeterFactory"/> (none without one). Every message turn is counted per grain type and message type; one
/// turn in <see cref="GrainCallMetricsOptions.TimingSampleEvery"/> per thread is also timed into the duration
/// histogram, because a timestamp pair and a histogram update cost several times more than a count. While nothing
/// listens, <see cref="Start"/> returns 0 and a turn pays one field read.
/// <para>
/// Ownership: each thread counts into its own table (<see cref="ThreadCalls"/>), so a count is a plain store with no
/// interlocked operation and no cache line shared between workers. The table's owner adds keys under the table's
/// lock; the collecting thread reads every table under that lock (counts themselves are read without it: a count read
/// a moment late is fine for a metric).
/// </para>
/// </summary>
internal sealed class GrainCallInstruments
{
    /// <summary><see cref="Start"/>'s answer for a call that is counted but not timed.</summary>
    private const long CountOnly = -1;

    private static readonly double[] DurationBuckets =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ThreadLocal<ThreadCalls> _threads = new(static () => new ThreadCalls(), trackAllValues: true);
    private readonly Histogram<double>? _duration;
    private readonly uint _sampleEvery;

    public GrainCallInstruments(IMeterFactory? meterFactory, GrainCallMetricsOptions options)
    {
        _sampleEvery = (uint)Math.Max(1, options.TimingSampleEvery);
        if (meterFactory is null)
        {
            return;
        }

        var meter = meterFactory.Create(RuntimeMeter.Name);
        _duration = meter.CreateHistogram(
            RuntimeMeter.CallDuration,
            unit: "s",
            description: "Duration of grain turns that handle a message (sampled), by grain type and message type.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableCounter(RuntimeMeter.Calls, () => Observe(errors: false), "{call}", "Grain turns that handled a message, by grain type and message type.");
        meter.CreateObservableCounter(RuntimeMeter.CallErrors, () => Observe(errors: true), "{call}", "Grain turns whose message handler threw, by grain type and message type.");
    }

    /// <summary>Whether anyone listens (read once per message).</summary>
    public bool Enabled => _duration is { Enabled: true };

    /// <summary>0 while disabled; otherwise a timestamp for a timed call, or a negative value for a counted one.</summary>
    public long Start()
    {
        if (!Enabled)
        {
            return 0;
        }

        var calls = _threads.Value!;
        return ++calls.Turns % _sampleEvery == 0 ? Stopwatch.GetTimestamp() : CountOnly;
    }

    /// <summary>Counts (and, when it was timed, records) one call that <see cref="Start"/> answered with <paramref name="started"/>.</summary>
    public void Record(string grainType, object message, long started, bool failed)
    {
        if (started == 0)
        {
            return;
        }

        var messageType = message.GetType();
        var counters = _threads.Value!.For(grainType, messageType);
        Volatile.Write(ref counters.Calls, counters.Calls + 1);
        if (failed)
        {
            Volatile.Write(ref counters.Errors, counters.Errors + 1);
        }

        if (started > 0)
        {
            _duration!.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(RuntimeMeter.GrainTypeTag, grainType),
                new KeyValuePair<string, object?>(RuntimeMeter.MethodTag, messageType.Name));
        }
    }

    private List<Measurement<long>> Observe(bool errors)
    {
        var totals = new Dictionary<(string GrainType, Type Message), long>();
        foreach (var thread in _threads.Values)
        {
            thread.AddTo(totals, errors);
        }

        var measurements = new List<Measurement<long>>(totals.Count);
        foreach (var ((grainType, messageType), total) in totals)
        {
            measurements.Add(new Measurement<long>(
                total,
                new KeyValuePair<string, object?>(RuntimeMeter.GrainTypeTag, grainType),
                new KeyValuePair<string, object?>(RuntimeMeter.MethodTag, messageType.Name)));
        }

        return measurements;
    }

    /// <summary>One thread's counts. Keys compare by reference: grain type names are the registry's own strings.</summary>
    private sealed class ThreadCalls
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<(string GrainType, Type Message), CallCounters> _calls = new(ReferenceKeyComparer.Instance);

        /// <summary>Message turns started on this thread (the sampling clock); owner only.</summary>
        public uint Turns;

        public CallCounters For(string grainType, Type messageType)
        {
            if (_calls.TryGetValue((grainType, messageType), out var counters))
            {
                return counters;
            }

            counters = new CallCounters();
            lock (_lock)
            {
                _calls.Add((grainType, messageType), counters);
            }

            return counters;
        }

        public void AddTo(Dictionary<(string GrainType, Type Message), long> totals, bool errors)
        {
            lock (_lock)
            {
                foreach (var (key, counters) in _calls)
                {
                    var value = errors ? Volatile.Read(ref counters.Errors) : Volatile.Read(ref counters.Calls);
                    totals[key] = totals.GetValueOrDefault(key) + value;
                }
            }
        }
    }

    private sealed class CallCounters
    {
        public long Calls;
        public long Errors;
    }

    private sealed class ReferenceKeyComparer : IEqualityComparer<(string GrainType, Type Message)>
    {
        public static readonly ReferenceKeyComparer Instance = new();

        public bool Equals((string GrainType, Type Message) x, (string GrainType, Type Message) y) =>
            ReferenceEquals(x.GrainType, y.GrainType) && ReferenceEquals(x.Message, y.Message);

        public int GetHashCode((string GrainType, Type Message) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.GrainType), RuntimeHelpers.GetHashCode(obj.Message));
    }
}
