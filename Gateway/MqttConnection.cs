using System.IO.Pipelines;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;

namespace GrainMQ.Gateway;

/// <summary>
/// One MQTT client connection: a read loop (pipe → <see cref="MqttDecoder"/> → Handle* → session grain) and a write
/// loop (outbound queue → <see cref="MqttEncoder"/> → pipe, one flush per batch). The connection is the session's
/// <see cref="IGrainObserver"/>: what the session sends (packets, <see cref="CloseConnection"/>) is queued for the
/// write loop.
/// <para>
/// Ownership: fields without a note belong to the read loop; <c>_connAckSent</c>, <c>_outboundAliases</c> and
/// <c>_clientMaxPacketSize</c> are read by the writer, which only sees them after the read loop set them (the
/// outbound channel orders the two); <c>_close</c> is claimed once by whichever side closes first. The writer is the
/// write loop or, with <see cref="MqttOptions.InlineWrites"/>, a session turn that claimed the pipe from the idle write
/// loop (<see cref="OutboundQueue.TryClaimWriter"/>): one at a time, handed over under the queue's lock.
/// </para>
/// </summary>
internal sealed partial class MqttConnection : IGrainObserver
{
    private readonly MqttGateway _gateway;
    private readonly MqttOptions _options;
    private readonly IDuplexPipe _transport;
    private readonly Action _abort;
    private readonly string _remoteEndPoint;
    private readonly MqttTransport _transportKind;
    private readonly OutboundQueue _outbound = new();
    private readonly Queue<Task<object?>> _pendingAsks = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Items in <see cref="_outbound"/>; updated by producers and the write loop with interlocked operations.</summary>
    private int _queued;
    private CloseSignal? _close;
    private ObserverId _observerId;

    public MqttConnection(MqttGateway gateway, IDuplexPipe transport, Action abort, string remoteEndPoint, MqttTransport transportKind)
    {
        _gateway = gateway;
        _options = gateway.Options;
        _transport = transport;
        _abort = abort;
        _remoteEndPoint = remoteEndPoint;
        _transportKind = transportKind;
    }

    /// <summary>Completes when the connection has closed and been cleaned up.</summary>
    public Task Completion => _completion.Task;

    private bool IsClosing => Volatile.Read(ref _close) is not null;

    public async Task RunAsync()
    {
        _observerId = _gateway.Observers.Register(this);
        _gateway.Counters.ConnectionOpened(_transportKind);
        var admission = _gateway.Tracker.Add(this, _transportKind, _options.MaxConnections);
        var writing = WriteLoopAsync();
        try
        {
            if (admission == Admission.ShuttingDown)
            {
                Close(DisconnectReason.ServerShutdown, ReasonCode.ServerShuttingDown, sendDisconnect: false, "the server is stopping");
            }
            else
            {
                _busy = admission == Admission.Busy;
                await ReadLoopAsync();
            }
        }
        catch (Exception exception)
        {
            GatewayLog.ErrorConnectionFailed(_gateway.Logger, _observerId.Id, exception);
            Close(DisconnectReason.InternalError, ReasonCode.ImplementationSpecificError, sendDisconnect: true, exception.Message);
        }
        finally
        {
            Close(DisconnectReason.SocketClosed, ReasonCode.UnspecifiedError, sendDisconnect: false);
            await FinishAsync(writing);
        }
    }

    /// <summary>The broker is stopping: an MQTT 5 client is told so with DISCONNECT 0x8B, then the socket closes.</summary>
    public void Shutdown() =>
        Close(DisconnectReason.ServerShutdown, ReasonCode.ServerShuttingDown, sendDisconnect: true, "the server is stopping");

    /// <summary>A message from the session (runs on the session's turn: only queues).</summary>
    public void Receive(object message)
    {
        if (message is PublishPacket { QoS: MqttQoS.AtMostOnce } && Volatile.Read(ref _queued) >= _options.MaxQueuedMessages)
        {
            _gateway.Counters.QoS0DroppedOnFullQueue();
            return;
        }

        if (_options.InlineWrites && message is MqttPacket packet && _outbound.TryClaimWriter())
        {
            WriteInline(packet);
            return;
        }

        Enqueue(message);
    }

    private void Enqueue(object item)
    {
        _gateway.Counters.OutboundQueueLength(Interlocked.Increment(ref _queued));
        if (!_outbound.TryWrite(item))
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    /// <summary>
    /// Starts closing, once: the write loop writes what is queued, then DISCONNECT when
    /// <paramref name="sendDisconnect"/> (MQTT 5, after a successful CONNACK), then stops; the read loop stops reading.
    /// </summary>
    private void Close(DisconnectReason reason, ReasonCode reasonCode, bool sendDisconnect, string detail = "")
    {
        var signal = new CloseSignal(reason, reasonCode, sendDisconnect, detail);
        if (Interlocked.CompareExchange(ref _close, signal, null) is not null)
        {
            return;
        }

        _outbound.TryWrite(signal);
        _outbound.Complete();
        _transport.Input.CancelPendingRead();
        ResumeReading();
    }

    /// <summary>Closes with a reason and tells the read loop to stop.</summary>
    private bool Fail(DisconnectReason reason, ReasonCode reasonCode, string detail)
    {
        Close(reason, reasonCode, sendDisconnect: true, detail);
        return false;
    }

    private async Task FinishAsync(Task writing)
    {
        try
        {
            await writing.WaitAsync(_options.CloseTimeout);
        }
        catch (TimeoutException)
        {
            _abort();
            await writing;
        }

        await _transport.Output.CompleteAsync();
        await _transport.Input.CompleteAsync();
        _gateway.Observers.Unregister(_observerId);
        ObserveAbandonedAsks();

        var close = Volatile.Read(ref _close)!;
        if (_sessionAttached && !_clientDisconnected)
        {
            _session.Tell(new ConnectionLost(_observerId, close.ReasonCode));
        }

        _gateway.Counters.ConnectionClosed(_transportKind, close.Reason);
        GatewayLog.InformationConnectionClosed(_gateway.Logger, _observerId.Id, _remoteEndPoint, _clientId, close.Reason, close.Detail);
        _gateway.Tracker.Remove(this, _transportKind);
        _completion.TrySetResult();
    }

    /// <summary>Session calls still running when the connection ends: their outcome no longer matters, but is observed.</summary>
    private void ObserveAbandonedAsks()
    {
        while (_pendingAsks.TryDequeue(out var ask))
        {
            _ = ask.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>The last item of the outbound queue: why the connection closes.</summary>
    private sealed record CloseSignal(DisconnectReason Reason, ReasonCode ReasonCode, bool SendDisconnect, string Detail);
}
