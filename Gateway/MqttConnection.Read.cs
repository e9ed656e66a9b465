using System.IO.Pipelines;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Gateway;

/// <summary>The read loop: bytes to packets, packets to Handle* methods.</summary>
internal sealed partial class MqttConnection
{
    private GrainReference _session;
    private string _clientId = "";
    private MqttProtocolVersion _version = MqttProtocolVersion.V311;
    private bool _connectReceived;
    private bool _sessionAttached;
    private bool _clientDisconnected;
    private bool _busy;

    /// <summary>
    /// <see cref="Environment.TickCount64"/> by which the client must have sent something (<see cref="long.MaxValue"/>:
    /// no limit). Written by the read loop, read by the tracker's silence check.
    /// </summary>
    private long _silenceDeadline = long.MaxValue;

    /// <summary>
    /// True while the read loop waits for bytes: only then can the client be silent. While it decodes or handles what the
    /// client sent (or waits for the outbound queue to drain), the client is not silent, whatever the deadline says.
    /// Written by the read loop, read by the tracker's silence check.
    /// </summary>
    private bool _waitingForData;
    private uint _sessionExpiryAtConnect;
    private TimeSpan _keepAliveWindow = Timeout.InfiniteTimeSpan;
    private InboundTopicAliases? _inboundAliases;
    private InboundQuota? _inboundQuota;

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        SetSilenceLimit(_options.ConnectTimeout);
        while (true)
        {
            ReadResult result;
            StartWaitingForData();
            try
            {
                result = await input.ReadAsync();
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // Kestrel reports a reset or aborted socket this way.
                Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false, exception.Message);
                return;
            }
            finally
            {
                Volatile.Write(ref _waitingForData, false);
            }

            if (result.IsCanceled)
            {
                return;
            }

            var buffer = result.Buffer;
            var keepReading = true;
            var heardFromClient = false;
            try
            {
                while (keepReading && !IsClosing)
                {
                    var decoded = MqttDecoder.Decode(buffer, _version, _options.MaxPacketSize);
                    if (decoded.Status == DecodeStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (decoded.Status == DecodeStatus.Error)
                    {
                        OnDecodeError(decoded.Error!);
                        keepReading = false;
                        break;
                    }

                    buffer = buffer.Slice(decoded.Consumed);
                    _gateway.Counters.PacketReceived(_transportKind, decoded.Packet!.Type, decoded.Consumed);
                    if (!heardFromClient && _sessionAttached)
                    {
                        heardFromClient = true;
                        SetSilenceLimit(_keepAliveWindow);
                    }

                    if (OutboundQueueFull)
                    {
                        await WaitForOutboundDrainAsync();
                        if (IsClosing)
                        {
                            break;
                        }
                    }

                    keepReading = await HandlePacketAsync(decoded.Packet!);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (!keepReading || IsClosing)
            {
                return;
            }

            if (result.IsCompleted)
            {
                Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false, buffer.IsEmpty ? "" : "closed in the middle of a packet");
                return;
            }
        }
    }

    /// <summary>The read loop heard from the client: it must hear again within <paramref name="limit"/> (infinite: no limit).</summary>
    private void SetSilenceLimit(TimeSpan limit) =>
        Volatile.Write(ref _silenceDeadline, limit == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)limit.TotalMilliseconds);

    /// <summary>
    /// The read loop is about to wait for bytes. If the keep-alive deadline passed while it was busy with the client's
    /// packets, the client was not silent then: its silence starts now.
    /// </summary>
    private void StartWaitingForData()
    {
        if (_sessionAttached && Environment.TickCount64 >= Volatile.Read(ref _silenceDeadline))
        {
            SetSilenceLimit(_keepAliveWindow);
        }

        Volatile.Write(ref _waitingForData, true);
    }

    /// <summary>
    /// Called by <see cref="MqttConnectionTracker"/>'s periodic check (any thread): closes the connection when its
    /// silence deadline has passed while the read loop was waiting for bytes.
    /// </summary>
    internal void CheckSilence(long nowMilliseconds)
    {
        if (Volatile.Read(ref _waitingForData) && nowMilliseconds >= Volatile.Read(ref _silenceDeadline))
        {
            Volatile.Write(ref _silenceDeadline, long.MaxValue);
            OnSilence();
        }
    }

    /// <summary>Nothing arrived in time: no CONNECT within the connect timeout, or silence for 1.5 keep-alive periods.</summary>
    private void OnSilence()
    {
        if (Volatile.Read(ref _sessionAttached))
        {
            Close(DisconnectReason.KeepAliveTimeout, ReasonCode.KeepAliveTimeout, sendDisconnect: true, "no packet within 1.5 times the keep-alive");
        }
        else
        {
            Close(DisconnectReason.ConnectTimeout, ReasonCode.UnspecifiedError, sendDisconnect: false, "no CONNECT in time");
        }
    }

    /// <summary>
    /// Bytes that are not an acceptable packet. A CONNECT read whole but refused (<see cref="DecodeError.FrameIntact"/>:
    /// any MQTT 5 one, MQTT 3 ones with a fitting return code) gets a CONNACK with the reason; after CONNECT an MQTT 5
    /// client gets DISCONNECT with it; the connection closes either way.
    /// </summary>
    private void OnDecodeError(DecodeError error)
    {
        var reason = error.ReasonCode switch
        {
            ReasonCode.MalformedPacket => DisconnectReason.MalformedPacket,
            ReasonCode.PacketTooLarge => DisconnectReason.PacketTooLarge,
            ReasonCode.UnsupportedProtocolVersion => DisconnectReason.UnsupportedProtocolVersion,
            ReasonCode.TopicAliasInvalid => DisconnectReason.TopicAliasInvalid,
            ReasonCode.ReceiveMaximumExceeded => DisconnectReason.ReceiveMaximumExceeded,
            _ => DisconnectReason.ProtocolError,
        };
        if (!_connectReceived && error.FrameIntact)
        {
            if (error.V3ConnectReturnCode is { } returnCode)
            {
                _version = MqttProtocolVersion.V311;
                Enqueue(new ConnAckPacket(false, ConnAckPacket.FromV3ReturnCode(returnCode), MqttProperties.Empty));
            }
            else
            {
                _version = MqttProtocolVersion.V500;
                Enqueue(new ConnAckPacket(false, error.ReasonCode, MqttProperties.Empty));
            }
        }

        Close(reason, error.ReasonCode, sendDisconnect: true, error.Message);
    }

    private ValueTask<bool> HandlePacketAsync(MqttPacket packet)
    {
        if (!_connectReceived)
        {
            return packet is ConnectPacket connect
                ? HandleConnectAsync(connect)
                : new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, $"first packet was {packet.Type}, not CONNECT"));
        }

        switch (packet)
        {
            case PublishPacket publish:
                return HandlePublishAsync(publish);
            case PubAckPacket or PubRecPacket or PubRelPacket or PubCompPacket or SubscribePacket or UnsubscribePacket:
                return ForwardAsync(packet);
            case PingReqPacket:
                Enqueue(PingRespPacket.Instance);
                return new(true);
            case DisconnectPacket disconnect:
                return new(HandleDisconnect(disconnect));
            case ConnectPacket:
                return new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, "second CONNECT"));
            case AuthPacket:
                return new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, "AUTH without enhanced authentication"));
            default:
                return new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, $"a client may not send {packet.Type}"));
        }
    }

    private ValueTask<bool> HandlePublishAsync(PublishPacket publish)
    {
        if (publish.Properties.SubscriptionIdentifiers.Count > 0)
        {
            // MQTT-3.3.4-6: only the server sends Subscription Identifiers in PUBLISH.
            return new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, "a client may not send a Subscription Identifier in PUBLISH"));
        }

        if (publish.Properties.TopicAlias is { } alias)
        {
            if (_inboundAliases is null || !_inboundAliases.IsValid(alias))
            {
                return new(Fail(DisconnectReason.TopicAliasInvalid, ReasonCode.TopicAliasInvalid, $"topic alias {alias} is not 1 to {_options.TopicAliasMaximum}"));
            }

            string? topic;
            if (publish.Topic.Length == 0)
            {
                if (!_inboundAliases.TryGet(alias, out topic))
                {
                    return new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, $"topic alias {alias} was never defined"));
                }
            }
            else
            {
                if (!TopicValidation.IsValidTopicName(publish.Topic))
                {
                    return new(Fail(DisconnectReason.ProtocolError, ReasonCode.TopicNameInvalid, "invalid topic name"));
                }

                topic = publish.Topic;
                _inboundAliases.Set(alias, topic);
            }

            publish = publish with { Topic = topic, Properties = publish.Properties with { TopicAlias = null } };
        }
        else if (publish.Topic.Length == 0)
        {
            return new(Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, "empty topic name without a topic alias"));
        }
        else if (!TopicValidation.IsValidTopicName(publish.Topic))
        {
            return new(Fail(DisconnectReason.ProtocolError, ReasonCode.TopicNameInvalid, "invalid topic name"));
        }

        if (publish.QoS != MqttQoS.AtMostOnce && _inboundQuota is not null && !_inboundQuota.TryAcquire(publish.PacketId))
        {
            return new(Fail(DisconnectReason.ReceiveMaximumExceeded, ReasonCode.ReceiveMaximumExceeded, $"more than {_options.ReceiveMaximum} QoS 1/2 PUBLISH unacknowledged"));
        }

        return ForwardAsync(publish);
    }

    /// <summary>
    /// Hands a packet to the session without waiting for it, keeping at most
    /// <see cref="MqttOptions.MaxPendingRequests"/> calls outstanding (the session's mailbox is FIFO, so order holds).
    /// </summary>
    private async ValueTask<bool> ForwardAsync(MqttPacket packet)
    {
        while (_pendingAsks.TryPeek(out var head) && (head.IsCompleted || _pendingAsks.Count >= _options.MaxPendingRequests))
        {
            var oldest = _pendingAsks.Dequeue();
            try
            {
                await oldest;
            }
            catch (Exception exception)
            {
                GatewayLog.WarningSessionCallFailed(_gateway.Logger, _observerId.Id, _clientId, exception);
                return Fail(DisconnectReason.InternalError, ReasonCode.ImplementationSpecificError, "the session did not answer");
            }
        }

        _pendingAsks.Enqueue(_session.AskAsync(new SessionPacket(_observerId, packet)));
        return true;
    }

    private bool HandleDisconnect(DisconnectPacket disconnect)
    {
        var sessionExpiry = _version == MqttProtocolVersion.V500 ? disconnect.Properties.SessionExpiryInterval : null;
        if (sessionExpiry is > 0 && _sessionExpiryAtConnect == 0)
        {
            return Fail(DisconnectReason.ProtocolError, ReasonCode.ProtocolError, "DISCONNECT set a session expiry after CONNECT set none");
        }

        _clientDisconnected = true;
        _session.Tell(new SessionDisconnect(_observerId, disconnect.ReasonCode, sessionExpiry));
        Close(DisconnectReason.ClientDisconnect, disconnect.ReasonCode, sendDisconnect: false);
        return false;
    }
}
