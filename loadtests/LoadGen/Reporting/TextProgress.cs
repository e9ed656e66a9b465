using System.Globalization;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Reporting;

/// <summary>
/// Prints one line per counter every second in emqtt_bench's style,
/// <c>12s pub total=12000 rate=1000.00/s</c>, skipping counters that are still zero.
/// </summary>
public sealed class TextProgress : IProgressSink
{
    private readonly TextWriter _output;
    private CounterSnapshot _previous = CounterSnapshot.Zero;
    private long _previousSeconds;

    public TextProgress(TextWriter output) => _output = output;

    public void Tick(long elapsedSeconds, CounterSnapshot counters)
    {
        if (elapsedSeconds == _previousSeconds && counters == _previous)
        {
            return;
        }

        foreach (var line in Format(elapsedSeconds, counters, _previous, elapsedSeconds - _previousSeconds))
        {
            _output.WriteLine(line);
        }

        _previous = counters;
        _previousSeconds = elapsedSeconds;
    }

    /// <summary>The lines for one tick: rate is the change since <paramref name="previous"/> over <paramref name="intervalSeconds"/>.</summary>
    public static IReadOnlyList<string> Format(long elapsedSeconds, CounterSnapshot current, CounterSnapshot previous, long intervalSeconds)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var seconds = Math.Max(1, intervalSeconds);
        var lines = new List<string>();
        var now = current.Named();
        var before = previous.Named();
        for (var index = 0; index < now.Count; index++)
        {
            var (name, total) = now[index];
            if (total == 0)
            {
                continue;
            }

            var rate = (double)(total - before[index].Value) / seconds;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{elapsedSeconds}s {name} total={total} rate={rate:F2}/s"));
        }

        return lines;
    }
}
