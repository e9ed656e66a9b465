using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Transport;

namespace GrainMQ.Runtime.Cluster;

// Frames from other processes. Everything here runs on a connection's read loop: it decodes, hands the message to a
// mailbox, the observer registry or a pending call, and returns; nothing waits.
internal sealed partial class ClusterMessageCenter
{
    public bool Admit(HelloInfo hello) =>
        !_stopped && (hello.Role == ClusterRole.Client || !_view.IsDead(hello.Address));

    public void OnFrame(ClusterConnection connection, ReadOnlySpan<byte> frame)
    {
        var reader = new FrameReader(frame);
        var kind = (FrameKind)reader.ReadByte();
        switch (kind)
        {
            case FrameKind.Request:
                OnRequest(connection, ref reader);
                break;
            case FrameKind.OneWay:
                OnOneWay(ref reader);
                break;
            case FrameKind.Response:
                OnResponse(ref reader);
                break;
            case FrameKind.Observer:
                OnObserverMessage(ref reader);
                break;
            case FrameKind.Ping:
                var pong = FrameWriter.Rent(FrameKind.Pong);
                pong.WriteInt64(reader.ReadInt64());
                connection.TrySend(new OutgoingFrame(pong.ToArray(), null));
                break;
            case FrameKind.Pong:
                if (_links.TryGetValue(connection.Remote.Address, out var link))
                {
                    link.OnPong(reader.ReadInt64());
                }

                break;
            case FrameKind.SystemRequest:
                OnSystemRequest(connection, ref reader);
                break;
            case FrameKind.ViewApplied:
                OnViewApplied(connection.Remote.Address, reader.ReadInt64());
                break;
            case FrameKind.MembershipChanged:
                MembershipChangeAnnounced?.Invoke();
                break;
            default:
                throw new InvalidDataException($"unknown frame kind {(byte)kind}");
        }
    }

    private void OnRequest(ClusterConnection connection, ref FrameReader reader)
    {
        var correlation = reader.ReadInt64();
        var hops = reader.ReadByte();
        var target = reader.ReadGrainId();
        object body;
        try
        {
            body = _serializer.ReadBody(ref reader);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or NotSupportedException)
        {
            SendResponse(connection, correlation, Task.FromException<object?>(new InvalidOperationException($"The request to {target} could not be decoded: {ex.Message}")));
            return;
        }

        var response = new PendingResponse(target);
        response.Task.ContinueWith(
            static (task, state) =>
            {
                var (center, origin, id) = ((ClusterMessageCenter, ClusterConnection, long))state!;
                center.SendResponse(origin, id, task);
            },
            (this, connection, correlation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Route(new Envelope(target, body, response), hops + 1);
    }

    private void OnOneWay(ref FrameReader reader)
    {
        var hops = reader.ReadByte();
        var target = reader.ReadGrainId();
        if (TryReadBody(ref reader, target.ToString()) is { } body)
        {
            Route(new Envelope(target, body, response: null), hops + 1);
        }
    }

    private void OnResponse(ref FrameReader reader)
    {
        var correlation = reader.ReadInt64();
        var status = (ResponseStatus)reader.ReadByte();
        if (!_calls.TryRemove(correlation, out var call))
        {
            return;
        }

        switch (status)
        {
            case ResponseStatus.Value:
                try
                {
                    call.Response.Complete(_serializer.ReadBody(ref reader));
                }
                catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
                {
                    call.Response.Fail(new InvalidOperationException($"The reply from silo {call.Target} could not be decoded: {ex.Message}"));
                }

                break;
            case ResponseStatus.Null:
                call.Response.Complete(null);
                break;
            default:
                call.Response.Fail(RemoteGrainException.Recreate(reader.ReadString(), reader.ReadString()));
                break;
        }
    }

    private void OnObserverMessage(ref FrameReader reader)
    {
        var target = reader.ReadObserverId();
        if (TryReadBody(ref reader, target.ToString()) is { } body)
        {
            _observers!.TryDeliver(target, body);
        }
    }

    private void OnSystemRequest(ClusterConnection connection, ref FrameReader reader)
    {
        var correlation = reader.ReadInt64();
        if (TryReadBody(ref reader, "system") is not { } body)
        {
            return;
        }

        var handled = HandleSystemMessageAsync(body);
        if (correlation != 0)
        {
            handled.ContinueWith(
                static (task, state) =>
                {
                    var (center, origin, id) = ((ClusterMessageCenter, ClusterConnection, long))state!;
                    center.SendResponse(origin, id, task.IsFaulted ? Task.FromException<object?>(task.Exception!.InnerException!) : Task.FromResult<object?>(null));
                },
                (this, connection, correlation),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task HandleSystemMessageAsync(object message)
    {
        foreach (var handler in _systemHandlers.Value)
        {
            await handler.HandleAsync(message);
        }
    }

    private object? TryReadBody(ref FrameReader reader, string target)
    {
        try
        {
            return _serializer.ReadBody(ref reader);
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException or NotSupportedException)
        {
            ClusterLog.UndecodableMessage(_logger, target, ex.Message);
            return null;
        }
    }

    private void SendResponse(ClusterConnection connection, long correlation, Task<object?> outcome)
    {
        byte[] frame;
        var writer = FrameWriter.Rent(FrameKind.Response);
        writer.WriteInt64(correlation);
        try
        {
            if (outcome.IsCompletedSuccessfully)
            {
                if (outcome.Result is { } value)
                {
                    writer.WriteByte((byte)ResponseStatus.Value);
                    _serializer.WriteBody(writer, value);
                }
                else
                {
                    writer.WriteByte((byte)ResponseStatus.Null);
                }

                frame = writer.ToArray();
            }
            else
            {
                frame = ErrorFrame(correlation, outcome.Exception?.InnerException ?? new OperationCanceledException("The request was canceled."));
            }
        }
        catch (NotSupportedException ex)
        {
            frame = ErrorFrame(correlation, ex);
        }

        connection.TrySend(new OutgoingFrame(frame, null));
    }

    private static byte[] ErrorFrame(long correlation, Exception error)
    {
        var writer = FrameWriter.Rent(FrameKind.Response);
        writer.WriteInt64(correlation);
        writer.WriteByte((byte)ResponseStatus.Error);
        writer.WriteString(error.GetType().FullName ?? error.GetType().Name);
        writer.WriteString(error.Message);
        return writer.ToArray();
    }

    private SiloAddress[] OtherLiveSilos()
    {
        var live = _view.LiveSilos();
        live.Remove(_identity.Address);
        return [.. live];
    }
}
