using System.Security.Cryptography;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;

namespace GrainMQ.Gateway;

/// <summary>CONNECT: the gateway's checks, then the session grain attaches the connection and sends CONNACK.</summary>
internal sealed partial class MqttConnection
{
    private const string AssignedClientIdPrefix = "auto-";

    private async ValueTask<bool> HandleConnectAsync(ConnectPacket connect)
    {
        _connectReceived = true;
        _version = connect.ProtocolVersion;
        SetSilenceLimit(Timeout.InfiniteTimeSpan);
        if (_busy)
        {
            return Refuse(ReasonCode.ServerBusy, DisconnectReason.ServerBusy, $"more than {_options.MaxConnections} connections on {_transportKind}");
        }

        if (connect.Properties.AuthenticationMethod is not null)
        {
            return Refuse(ReasonCode.BadAuthenticationMethod, DisconnectReason.ConnectRejected, "enhanced authentication is not supported");
        }

        var clientId = connect.ClientId;
        string? assignedClientId = null;
        if (clientId.Length == 0)
        {
            if (_version == MqttProtocolVersion.V310 || (_version == MqttProtocolVersion.V311 && !connect.CleanStart))
            {
                return Refuse(ReasonCode.ClientIdentifierNotValid, DisconnectReason.ConnectRejected, "empty client identifier without a clean session");
            }

            clientId = assignedClientId = AssignedClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        }
        else if (clientId.Length > _options.MaxClientIdLength)
        {
            return Refuse(ReasonCode.ClientIdentifierNotValid, DisconnectReason.ConnectRejected, $"client identifier longer than {_options.MaxClientIdLength}");
        }

        _clientId = clientId;
        var keepAlive = connect.KeepAlive;
        ushort? serverKeepAlive = null;
        if (_version == MqttProtocolVersion.V500 && keepAlive > _options.MaxKeepAlive)
        {
            keepAlive = (ushort)_options.MaxKeepAlive;
            serverKeepAlive = keepAlive;
        }

        _keepAliveWindow = keepAlive == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(keepAlive * 1500.0);
        var connAckProperties = MqttProperties.Empty;
        if (_version == MqttProtocolVersion.V500)
        {
            connAckProperties = serverKeepAlive is null && assignedClientId is null
                ? _gateway.ConnAckProperties
                : _gateway.ConnAckProperties with { ServerKeepAlive = serverKeepAlive, AssignedClientIdentifier = assignedClientId };
            _sessionExpiryAtConnect = connect.Properties.SessionExpiryInterval ?? 0;
            _clientMaxPacketSize = connect.Properties.MaximumPacketSize ?? 0;
            if (connect.Properties.TopicAliasMaximum is > 0 and var aliasMaximum)
            {
                _outboundAliases = new OutboundTopicAliases(aliasMaximum);
            }

            if (_options.TopicAliasMaximum > 0)
            {
                _inboundAliases = new InboundTopicAliases((ushort)_options.TopicAliasMaximum);
            }

            _inboundQuota = new InboundQuota(_options.ReceiveMaximum);
        }

        _session = _gateway.Grains.GetGrain(GrainTypes.Session, clientId);
        SessionConnectResult result;
        try
        {
            result = await _session.AskAsync<SessionConnectResult>(new SessionConnect(_observerId, connect, clientId, connAckProperties));
        }
        catch (Exception exception)
        {
            GatewayLog.WarningSessionCallFailed(_gateway.Logger, _observerId.Id, clientId, exception);
            return Refuse(ReasonCode.ServerUnavailable, DisconnectReason.InternalError, "the session did not answer CONNECT");
        }

        if (!result.Accepted)
        {
            GatewayLog.DebugConnectRefused(_gateway.Logger, _observerId.Id, result.ReasonCode);
            Close(DisconnectReason.ConnectRejected, result.ReasonCode, sendDisconnect: false, $"refused by the session: {result.ReasonCode}");
            return false;
        }

        _sessionAttached = true;
        SetSilenceLimit(_keepAliveWindow);
        return true;
    }

    /// <summary>Refuses CONNECT before the session is involved: CONNACK with the reason, then close.</summary>
    private bool Refuse(ReasonCode reasonCode, DisconnectReason reason, string detail)
    {
        GatewayLog.DebugConnectRefused(_gateway.Logger, _observerId.Id, reasonCode);
        Enqueue(new ConnAckPacket(false, reasonCode, MqttProperties.Empty));
        Close(reason, reasonCode, sendDisconnect: false, detail);
        return false;
    }
}
