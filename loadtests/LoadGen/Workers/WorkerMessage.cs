using System.Text.Json;
using GrainMQ.LoadGen.Reporting;
using GrainMQ.LoadGen.Stats;

namespace GrainMQ.LoadGen.Workers;

/// <summary>
/// One line a worker writes on its standard output: a <c>tick</c> with its totals every second, and one
/// <c>final</c> with its whole <see cref="RunSummary"/> (histograms included) at the end.
/// </summary>
public sealed record WorkerMessage(string Kind, int WorkerIndex, long ElapsedSeconds, CounterSnapshot? Counters, RunSummary? Summary)
{
    public const string TickKind = "tick";
    public const string FinalKind = "final";

    public static WorkerMessage Tick(int workerIndex, long elapsedSeconds, CounterSnapshot counters) =>
        new(TickKind, workerIndex, elapsedSeconds, counters, null);

    public static WorkerMessage Final(int workerIndex, RunSummary summary) =>
        new(FinalKind, workerIndex, (long)summary.ElapsedSeconds, summary.Counters, summary);

    public string ToJsonLine() => JsonSerializer.Serialize(this, LoadGenJson.Default.WorkerMessage);

    /// <summary>The message on <paramref name="line"/>, or null when the line is not one (a worker's other output).</summary>
    public static WorkerMessage? TryParse(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{')
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize(line, LoadGenJson.Default.WorkerMessage);
            return message is { Kind: TickKind, Counters: not null } or { Kind: FinalKind, Summary: not null } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
