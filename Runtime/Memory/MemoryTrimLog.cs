using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Memory;

internal static partial class MemoryTrimLog
{
    [LoggerMessage(EventId = 60, EventName = "MemoryTrimmed", Level = LogLevel.Information,
        Message = "Trimmed memory after {Deactivations} deactivations: resident set {WorkingSetBeforeMb} → {WorkingSetAfterMb} MB, GC heap committed {CommittedBeforeMb} → {CommittedAfterMb} MB, in {ElapsedMs} ms")]
    public static partial void InfoTrimmed(
        ILogger logger, long deactivations, long workingSetBeforeMb, long workingSetAfterMb, long committedBeforeMb, long committedAfterMb, long elapsedMs);
}
