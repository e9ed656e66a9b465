using System.Net;
using GrainMQ.Protocol;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Gateway;

/// <summary>The gateway's log events, source-generated.</summary>
internal static partial class GatewayLog
{
    /// <summary>The fixed format tests and scripts parse to find the bound ports.</summary>
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening for MQTT over {Transport} on {EndPoint}{Path}")]
    public static partial void InformationListening(ILogger logger, string transport, EndPoint endPoint, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "MQTT connection {ConnectionId} from {RemoteEndPoint} client '{ClientId}' closed: {Reason} {Detail}")]
    public static partial void InformationConnectionClosed(ILogger logger, long connectionId, string remoteEndPoint, string clientId, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "MQTT connection {ConnectionId}: call to session '{ClientId}' failed")]
    public static partial void WarningSessionCallFailed(ILogger logger, long connectionId, string clientId, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "MQTT connection {ConnectionId} failed unexpectedly")]
    public static partial void ErrorConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "MQTT connection {ConnectionId}: dropped a {Size}-byte PUBLISH to '{Topic}' above the client's maximum packet size {MaxPacketSize}")]
    public static partial void DebugOversizedDropped(ILogger logger, long connectionId, int size, string topic, uint maxPacketSize);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Closing {Count} MQTT connections for shutdown")]
    public static partial void InformationClosingForShutdown(ILogger logger, int count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Count} MQTT connections did not close within {Timeout}")]
    public static partial void WarningShutdownTimedOut(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "WebSocket request refused: {Why}")]
    public static partial void DebugWebSocketRefused(ILogger logger, string why);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "MQTT connection {ConnectionId}: connect refused with {ReasonCode}")]
    public static partial void DebugConnectRefused(ILogger logger, long connectionId, ReasonCode reasonCode);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "MQTT connection {ConnectionId}: ignored a {MessageType} sent to it")]
    public static partial void WarningUnknownMessage(ILogger logger, long connectionId, string messageType);
}
