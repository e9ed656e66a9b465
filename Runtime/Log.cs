using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Grain runtime {Silo} started with {Workers} scheduler workers and {GrainTypes} grain types")]
    public static partial void RuntimeStarted(ILogger logger, string silo, int workers, int grainTypes);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Grain runtime {Silo} stopped")]
    public static partial void RuntimeStopped(ILogger logger, string silo);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Scheduler sized to {Workers} workers")]
    public static partial void SchedulerResized(ILogger logger, int workers);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Activated grain {GrainId}")]
    public static partial void GrainActivated(ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Deactivated grain {GrainId} ({Reason})")]
    public static partial void GrainDeactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Activation of grain {GrainId} failed; {Pending} queued messages fail with it")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId, int pending);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "OnDeactivateAsync of grain {GrainId} ({Reason}) failed; its state is still written")]
    public static partial void OnDeactivateFailed(ILogger logger, Exception exception, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Deactivation of grain {GrainId} ({Reason}) failed; its state may not have been written")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "State write of grain {GrainId} lost: it expected version {Expected}, storage holds {Stored} (another activation wrote it); the activation stops without writing again")]
    public static partial void StateConflict(ILogger logger, GrainId grainId, long expected, long stored);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "One-way message {MessageType} to grain {GrainId} failed")]
    public static partial void TellFailed(ILogger logger, Exception exception, string messageType, GrainId grainId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Timer callback of grain {GrainId} failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Message {MessageType} to grain {GrainId} dropped: {Reason}")]
    public static partial void MessageDropped(ILogger logger, string messageType, GrainId grainId, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "A continuation posted to grain {GrainId} threw")]
    public static partial void PostedCallbackFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Observer {Silo}#{ObserverId} threw while receiving {MessageType}")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string silo, long observerId, string messageType);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "A handler of the {Event} event threw for grain {GrainId}")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, string @event, GrainId grainId);

    [LoggerMessage(EventId = 40, Level = LogLevel.Critical, Message = "Scheduler worker failed while running grain {GrainId}")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, GrainId grainId);
}
