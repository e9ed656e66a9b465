using System.IO.Pipelines;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;

namespace GrainMQ.Gateway;

/// <summary>The write loop: drains the outbound queue, encodes into the pipe and flushes once per batch.</summary>
internal sealed partial class MqttConnection
{
    /// <summary>A batch is flushed early once this much is buffered, so one batch never holds much memory.</summary>
    private const int FlushThreshold = 64 * 1024;

    private bool _connAckSent;
    private OutboundTopicAliases? _outboundAliases;
    private uint _clientMaxPacketSize;

    private async Task WriteLoopAsync()
    {
        var output = _transport.Output;
        try
        {
            while (await _outbound.WaitToReadAsync())
            {
                while (_outbound.TryRead(out var item))
                {
                    if (item is CloseSignal or CloseConnection)
                    {
                        WriteFinal(item, output);
                        await output.FlushAsync();
                        return;
                    }

                    OnDequeued();
                    Write(item, output);
                    if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThreshold && (await output.FlushAsync()).IsCompleted)
                    {
                        Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false);
                        return;
                    }
                }

                if ((await output.FlushAsync()).IsCompleted)
                {
                    Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false);
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            OnWriteFailed(exception);
        }
    }

    /// <summary>
    /// A packet from the session while the write loop waits on an empty queue (the caller claimed the pipe): encoded
    /// and flushed here, on the caller's thread, which saves the write loop's wake-up. A flush that cannot complete at
    /// once (the client reads slower than it is sent to) keeps the claim until it completes; meanwhile packets queue.
    /// </summary>
    private void WriteInline(MqttPacket packet)
    {
        var output = _transport.Output;
        ValueTask<FlushResult> flush;
        try
        {
            Write(packet, output);
            flush = output.FlushAsync();
        }
        catch (Exception exception)
        {
            _outbound.ReleaseWriter();
            OnWriteFailed(exception);
            return;
        }

        if (!flush.IsCompletedSuccessfully)
        {
            _ = FinishInlineFlushAsync(flush);
            return;
        }

        var socketClosed = flush.Result.IsCompleted;
        _outbound.ReleaseWriter();
        if (socketClosed)
        {
            Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false);
        }
    }

    private async Task FinishInlineFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            if ((await flush).IsCompleted)
            {
                Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false);
            }
        }
        catch (Exception exception)
        {
            OnWriteFailed(exception);
        }
        finally
        {
            _outbound.ReleaseWriter();
        }
    }

    /// <summary>Writing to the transport failed: a closed socket ends the connection quietly, anything else is logged.</summary>
    private void OnWriteFailed(Exception exception)
    {
        if (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false, exception.Message);
            return;
        }

        GatewayLog.ErrorConnectionFailed(_gateway.Logger, _observerId.Id, exception);
        Close(DisconnectReason.InternalError, ReasonCode.ImplementationSpecificError, sendDisconnect: false, exception.Message);
    }

    private void Write(object item, PipeWriter output)
    {
        switch (item)
        {
            case PublishPacket publish:
                WritePublish(publish, output);
                break;
            case ConnAckPacket connAck:
                Encode(connAck, output);
                _connAckSent = connAck.ReasonCode == ReasonCode.Success;
                break;
            case PubAckPacket pubAck:
                Encode(pubAck, output);
                _inboundQuota?.Release(pubAck.PacketId);
                break;
            case PubCompPacket pubComp:
                Encode(pubComp, output);
                _inboundQuota?.Release(pubComp.PacketId);
                break;
            case PubRecPacket pubRec:
                Encode(pubRec, output);
                if (pubRec.ReasonCode >= ReasonCode.UnspecifiedError)
                {
                    _inboundQuota?.Release(pubRec.PacketId);
                }

                break;
            case MqttPacket packet:
                Encode(packet, output);
                break;
            default:
                GatewayLog.WarningUnknownMessage(_gateway.Logger, _observerId.Id, item.GetType().Name);
                break;
        }
    }

    /// <summary>The last thing written: DISCONNECT for an MQTT 5 client that was connected, then nothing more.</summary>
    private void WriteFinal(object item, PipeWriter output)
    {
        var (reasonCode, sendDisconnect, detail) = item switch
        {
            CloseSignal close => (close.ReasonCode, close.SendDisconnect, close.Detail),
            _ => (((CloseConnection)item).ReasonCode, true, ((CloseConnection)item).ReasonString ?? ""),
        };
        if (sendDisconnect && _connAckSent && _version == MqttProtocolVersion.V500)
        {
            var disconnect = new DisconnectPacket(reasonCode, detail.Length == 0 ? MqttProperties.Empty : new MqttProperties { ReasonString = detail });
            if (_clientMaxPacketSize > 0 && MqttEncoder.GetEncodedSize(disconnect, _version) > _clientMaxPacketSize)
            {
                disconnect = disconnect with { Properties = MqttProperties.Empty };
            }

            Encode(disconnect, output);
        }

        if (item is CloseConnection)
        {
            var reason = reasonCode == ReasonCode.SessionTakenOver ? DisconnectReason.SessionTakenOver : DisconnectReason.ClosedBySession;
            Close(reason, reasonCode, sendDisconnect: false, detail);
        }
    }

    /// <summary>
    /// Applies the client's topic aliases (MQTT 5) and its Maximum Packet Size: a PUBLISH too large for the client is
    /// dropped, and for QoS 1/2 the session is told it was acknowledged with an error so its flow completes (the
    /// specification: "behave as if it had completed sending that Application Message").
    /// </summary>
    private void WritePublish(PublishPacket publish, PipeWriter output)
    {
        var toSend = publish;
        ushort newAlias = 0;
        if (_outboundAliases is { } aliases)
        {
            if (aliases.TryGet(publish.Topic, out var alias))
            {
                toSend = publish with { Topic = "", Properties = publish.Properties with { TopicAlias = alias } };
            }
            else if (aliases.TryReserve(out newAlias))
            {
                toSend = publish with { Properties = publish.Properties with { TopicAlias = newAlias } };
            }
            else if (publish.Properties.TopicAlias is not null)
            {
                toSend = publish with { Properties = publish.Properties with { TopicAlias = null } };
            }
        }
        else if (publish.Properties.TopicAlias is not null)
        {
            toSend = publish with { Properties = publish.Properties with { TopicAlias = null } };
        }

        if (_clientMaxPacketSize > 0)
        {
            var size = MqttEncoder.GetEncodedSize(toSend, _version);
            if (size > _clientMaxPacketSize)
            {
                _gateway.Counters.OversizedPacketDropped();
                GatewayLog.DebugOversizedDropped(_gateway.Logger, _observerId.Id, size, publish.Topic, _clientMaxPacketSize);
                CompleteDroppedPublish(publish);
                return;
            }
        }

        if (newAlias != 0)
        {
            _outboundAliases!.Commit(publish.Topic, newAlias);
        }

        Encode(toSend, output);
    }

    private void CompleteDroppedPublish(PublishPacket publish)
    {
        MqttPacket? acknowledgement = publish.QoS switch
        {
            MqttQoS.AtLeastOnce => new PubAckPacket(publish.PacketId, ReasonCode.UnspecifiedError, MqttProperties.Empty),
            MqttQoS.ExactlyOnce => new PubRecPacket(publish.PacketId, ReasonCode.UnspecifiedError, MqttProperties.Empty),
            _ => null,
        };
        if (acknowledgement is not null)
        {
            _session.Tell(new SessionPacket(_observerId, acknowledgement));
        }
    }

    private void Encode(MqttPacket packet, PipeWriter output)
    {
        var before = output.CanGetUnflushedBytes ? output.UnflushedBytes : 0;
        MqttEncoder.Write(packet, _version, output);
        var bytes = output.CanGetUnflushedBytes ? output.UnflushedBytes - before : MqttEncoder.GetEncodedSize(packet, _version);
        _gateway.Counters.PacketSent(_transportKind, packet.Type, bytes);
    }
}
