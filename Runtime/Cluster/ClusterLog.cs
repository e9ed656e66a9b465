using GrainMQ.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Cluster {DeploymentId}: {Role} {Name} listening for silo traffic at {Address}")]
    public static partial void Started(ILogger logger, string deploymentId, ClusterRole role, string name, string address);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Silo {Address} is {Status} in the membership table (version {Version})")]
    public static partial void StatusWritten(ILogger logger, SiloAddress address, SiloStatus status, long version);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Membership view {Version}: {Active} active silos [{Members}]")]
    public static partial void ViewChanged(ILogger logger, long version, int active, string members);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Silo {Target} missed {Missed} probes in a row; voting it suspect")]
    public static partial void ProbesMissed(ILogger logger, SiloAddress target, int missed);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Declared silo {Target} dead ({Votes} votes)")]
    public static partial void DeclaredDead(ILogger logger, SiloAddress target, int votes);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Voted silo {Target} suspect ({Votes} of {Required} votes)")]
    public static partial void VotedSuspect(ILogger logger, SiloAddress target, int votes, int required);

    [LoggerMessage(EventId = 106, Level = LogLevel.Critical, Message = "This silo ({Address}) was declared dead by its peers: it stops serving at once")]
    public static partial void SelfDeclaredDead(ILogger logger, SiloAddress address);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Membership table access failed; retrying")]
    public static partial void TableFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Not listening for membership table changes; listening again in {Delay} (the table is still read periodically)")]
    public static partial void ListenFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Connected to silo {Target}")]
    public static partial void LinkConnected(ILogger logger, SiloAddress target);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Connection to silo {Target} lost: {Reason}")]
    public static partial void LinkLost(ILogger logger, SiloAddress target, string reason);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Cannot connect to silo {Target}: {Reason}; retrying with backoff")]
    public static partial void LinkFailed(ILogger logger, SiloAddress target, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "The process at {Expected} is another incarnation ({Actual}); the link is closed")]
    public static partial void WrongIncarnation(ILogger logger, SiloAddress expected, SiloAddress actual);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "Refused a connection from {Name} ({Address}): it was declared dead")]
    public static partial void PeerRefused(ILogger logger, string name, SiloAddress address);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Closed the connection from {Name}: {Reason}")]
    public static partial void BadFrame(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 116, Level = LogLevel.Information, Message = "Process {Name} has no connection to this silo; its client connections count as lost unless it connects again within {Grace}")]
    public static partial void ProcessDisconnected(ILogger logger, string name, TimeSpan grace);

    [LoggerMessage(EventId = 117, Level = LogLevel.Information, Message = "Process {Name} did not connect again within {Grace}: it is gone, and so are the client connections it held")]
    public static partial void ProcessGone(ILogger logger, string name, TimeSpan grace);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "One-way message {MessageType} to grain {GrainId} dropped: silo {Silo} has too many queued")]
    public static partial void OneWayDropped(ILogger logger, string messageType, GrainId grainId, SiloAddress silo);

    [LoggerMessage(EventId = 121, Level = LogLevel.Error, Message = "Message {MessageType} cannot cross silos")]
    public static partial void SerializationFailed(ILogger logger, Exception exception, string messageType);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "A message for {Target} could not be decoded and was dropped: {Reason}")]
    public static partial void UndecodableMessage(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Broadcast {MessageType} skips unreachable silo {Silo}")]
    public static partial void BroadcastSkipped(ILogger logger, string messageType, SiloAddress silo);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Broadcast {MessageType} did not reach every silo")]
    public static partial void BroadcastIncomplete(ILogger logger, Exception exception, string messageType);

    [LoggerMessage(EventId = 132, Level = LogLevel.Information, Message = "Handing over {Count} activations owned elsewhere under view {Version}")]
    public static partial void HandingOver(ILogger logger, int count, long version);

    [LoggerMessage(EventId = 133, Level = LogLevel.Warning, Message = "Hand-over took longer than {Timeout}; going on")]
    public static partial void HandoverSlow(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 134, Level = LogLevel.Warning, Message = "{Count} silos did not confirm a hand-over within {Timeout}; parked messages are released")]
    public static partial void HandoffTimedOut(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 135, Level = LogLevel.Warning, Message = "Links did not flush within {Timeout}")]
    public static partial void FlushIncomplete(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 136, Level = LogLevel.Error, Message = "Cluster startup task {Task} failed")]
    public static partial void StartupTaskFailed(ILogger logger, Exception exception, string task);
}
