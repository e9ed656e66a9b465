using System.Diagnostics;
using GrainMQ.LoadGen.Client;
using GrainMQ.LoadGen.Stats;
using GrainMQ.LoadGen.Timing;
using GrainMQ.Protocol;

namespace GrainMQ.LoadGen.Run;

/// <summary>What happened to one attempt to publish.</summary>
internal enum PublishOutcome
{
    Sent,

    /// <summary>The inflight window was full or the write buffer over its bound: counted as a drop.</summary>
    Full,

    /// <summary>The connection has ended: the client leaves the schedule.</summary>
    Closed,
}

/// <summary>
/// One simulated client: connects, then does what the run's mode asks (hold, subscribe, publish) and answers the
/// broker's packets. Its publish state is touched by the scheduler thread (sending) and the read loop (acks),
/// so the inflight set is guarded by <see cref="_inflightGate"/>.
/// </summary>
internal sealed class BenchClient : IPacketHandler
{
    private readonly BenchRun _run;
    private readonly BenchOptions _options;
    private readonly TaskCompletionSource<string?> _connack = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _inflightGate = new();
    private HashSet<ushort>? _inflight;
    private int _inflightLimit;
    private ushort _lastPacketId;
    private PublishPacket? _qos0Packet;
    private MqttConnection? _connection;
    private IntervalSchedule _schedule;
    private volatile bool _connected;
    private int _ended;

    public BenchClient(BenchRun run, long sequence)
    {
        _run = run;
        _options = run.Options;
        Sequence = sequence;
        ClientId = _options.ClientIdFor(sequence);
        Topic = run.Topic?.Expand(sequence, ClientId);
    }

    public long Sequence { get; }

    public string ClientId { get; }

    public string? Topic { get; }

    /// <summary>Completes when the connection has ended (at once when there is none).</summary>
    public Task Closed => _connection?.Closed ?? Task.CompletedTask;

    /// <summary>When the next publish is due (scheduler thread only).</summary>
    public long NextDue => _schedule.NextDue;

    /// <summary>Starts publishing every <paramref name="interval"/> from <paramref name="start"/> (scheduler thread only).</summary>
    public void StartSchedule(long start, long interval) => _schedule = new IntervalSchedule(start, interval);

    /// <summary>Publishes due at <paramref name="now"/> (scheduler thread only); see <see cref="IntervalSchedule.TakeDue"/>.</summary>
    public int TakeDue(long now, int maxBurst, out long skipped) => _schedule.TakeDue(now, maxBurst, out skipped);

    /// <summary>Connects and, on success, starts the mode's work. Failures are counted, never thrown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        _run.Stats.ConnectStarted();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds));
        string? failure;
        try
        {
            var transport = await _run.Transports.ConnectAsync(Sequence, timeout.Token).ConfigureAwait(false);
            _connection = new MqttConnection(transport, _options.Version, this);
            _connection.Start();
            _connection.TrySend(CreateConnect(), bounded: false);
            failure = await _connack.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            failure = "connect_timeout";
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or HttpRequestException or System.Net.WebSockets.WebSocketException)
        {
            failure = ConnectFailure(exception);
        }

        if (failure is not null)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                _run.Stats.ConnectFailed(failure);
            }

            _connack.TrySetResult(failure);
            _connection?.Close(failure: null);
            End();
            return;
        }

        _run.Stats.ConnectSucceeded((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        StartWork();
    }

    /// <summary>Sends PINGREQ when nothing was written for three quarters of the keep-alive.</summary>
    public void PingIfIdle(long nowTick)
    {
        var connection = _connection;
        if (_connected && connection is not null && _options.KeepAliveSeconds > 0
            && nowTick - connection.LastSendTick >= _options.KeepAliveSeconds * 750L)
        {
            connection.TrySend(PingReqPacket.Instance, bounded: false);
        }
    }

    /// <summary>
    /// Publishes one timestamped message; called by the scheduler thread only, always with the scheduler's one
    /// payload array (the QoS 0 packet is built once over it and re-encoded with each new stamp).
    /// </summary>
    public PublishOutcome TryPublish(byte[] payload)
    {
        var connection = _connection;
        if (!_connected || connection is null)
        {
            return PublishOutcome.Closed;
        }

        ushort packetId = 0;
        if (_options.QoS != MqttQoS.AtMostOnce && !TryTakePacketId(out packetId))
        {
            return PublishOutcome.Full;
        }

        var now = WallClock.Ticks();
        PayloadHeader.Stamp(payload, now);
        var packet = packetId == 0
            ? _qos0Packet ??= new PublishPacket(Topic!, payload, MqttQoS.AtMostOnce, _options.Retain, false, 0, MqttProperties.Empty)
            : new PublishPacket(Topic!, payload, _options.QoS, _options.Retain, false, packetId, MqttProperties.Empty);
        if (connection.TrySend(packet, bounded: true))
        {
            _run.Stats.Published(now);
            return PublishOutcome.Sent;
        }

        if (packetId != 0)
        {
            ReleasePacketId(packetId);
        }

        return _connected ? PublishOutcome.Full : PublishOutcome.Closed;
    }

    /// <summary>Ends the connection with a DISCONNECT after whatever is queued.</summary>
    public void Disconnect()
    {
        if (_connected)
        {
            _connection?.SendAndClose(new DisconnectPacket(ReasonCode.NormalDisconnection, MqttProperties.Empty));
        }
        else
        {
            _connection?.Close(failure: null);
        }
    }

    /// <summary>Closes the socket at once.</summary>
    public void Abort() => _connection?.Close(failure: null);

    public void OnPacket(MqttPacket packet)
    {
        switch (packet)
        {
            case PublishPacket publish:
                OnPublish(publish);
                break;
            case PubAckPacket ack:
                OnPublishDone(ack.PacketId, ack.ReasonCode, "puback");
                break;
            case PubRecPacket received:
                if (received.ReasonCode >= ReasonCode.UnspecifiedError)
                {
                    OnPublishDone(received.PacketId, received.ReasonCode, "pubrec");
                }
                else
                {
                    _connection?.TrySend(new PubRelPacket(received.PacketId, ReasonCode.Success, MqttProperties.Empty), bounded: false);
                }

                break;
            case PubCompPacket complete:
                OnPublishDone(complete.PacketId, complete.ReasonCode, "pubcomp");
                break;
            case PubRelPacket release:
                _connection?.TrySend(new PubCompPacket(release.PacketId, ReasonCode.Success, MqttProperties.Empty), bounded: false);
                break;
            case SubAckPacket subAck:
                OnSubAck(subAck);
                break;
            case ConnAckPacket connAck:
                OnConnAck(connAck);
                break;
            case DisconnectPacket disconnect:
                _connection?.Close($"disconnected_by_broker:{disconnect.ReasonCode}");
                break;
            default:
                break;
        }
    }

    public void OnClosed(string? failure)
    {
        var wasConnected = _connected;
        _connected = false;
        if (!_connack.Task.IsCompleted)
        {
            _connack.TrySetResult(failure ?? "closed_before_connack");
            return;
        }

        int outstanding;
        lock (_inflightGate)
        {
            outstanding = _inflight?.Count ?? 0;
            _inflight?.Clear();
        }

        _run.InflightReleased(outstanding);
        if (wasConnected && failure is not null)
        {
            _run.Stats.Error(failure);
        }

        End();
    }

    private void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _run.ClientEnded();
        }
    }

    private void OnConnAck(ConnAckPacket connAck)
    {
        if (connAck.ReasonCode != ReasonCode.Success)
        {
            _connack.TrySetResult($"connack:{connAck.ReasonCode}");
            return;
        }

        _inflightLimit = Math.Min(_options.Inflight, (int)(connAck.Properties.ReceiveMaximum ?? BenchLimits.MaxInflight));
        _connected = true;
        _connack.TrySetResult(null);
    }

    private void StartWork()
    {
        switch (_options.Mode)
        {
            case BenchMode.Sub:
                var subscription = new TopicSubscription(Topic!, _options.QoS, false, false, RetainHandling.SendAtSubscribe);
                _connection?.TrySend(new SubscribePacket(1, [subscription], MqttProperties.Empty), bounded: false);
                break;
            case BenchMode.Pub:
                _run.Scheduler?.Add(this);
                break;
            default:
                break;
        }
    }

    private void OnPublish(PublishPacket publish)
    {
        var now = WallClock.Ticks();
        _run.OnReceived(PayloadHeader.LatencyMicros(publish.Payload.Span, now), now);
        if (publish.QoS == MqttQoS.AtLeastOnce)
        {
            _connection?.TrySend(new PubAckPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty), bounded: false);
        }
        else if (publish.QoS == MqttQoS.ExactlyOnce)
        {
            _connection?.TrySend(new PubRecPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty), bounded: false);
        }
    }

    private void OnSubAck(SubAckPacket subAck)
    {
        foreach (var code in subAck.ReasonCodes)
        {
            if (code >= ReasonCode.UnspecifiedError)
            {
                _run.Stats.Error($"suback:{code}");
            }
            else
            {
                _run.Stats.Subscribed();
            }
        }
    }

    private void OnPublishDone(ushort packetId, ReasonCode reasonCode, string packetName)
    {
        if (!ReleasePacketId(packetId))
        {
            return;
        }

        if (reasonCode >= ReasonCode.UnspecifiedError)
        {
            _run.Stats.Error($"{packetName}:{reasonCode}");
        }
        else
        {
            _run.Stats.PublishAcknowledged();
        }
    }

    private bool TryTakePacketId(out ushort packetId)
    {
        lock (_inflightGate)
        {
            _inflight ??= new HashSet<ushort>(_inflightLimit);
            if (_inflight.Count >= _inflightLimit)
            {
                packetId = 0;
                return false;
            }

            do
            {
                _lastPacketId = _lastPacketId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastPacketId + 1);
            }
            while (!_inflight.Add(_lastPacketId));

            packetId = _lastPacketId;
        }

        _run.InflightAdded();
        return true;
    }

    private bool ReleasePacketId(ushort packetId)
    {
        lock (_inflightGate)
        {
            if (_inflight is null || !_inflight.Remove(packetId))
            {
                return false;
            }
        }

        _run.InflightReleased(1);
        return true;
    }

    private ConnectPacket CreateConnect()
    {
        var properties = _options.Version == MqttProtocolVersion.V500 && _options.SessionExpirySeconds > 0
            ? new MqttProperties { SessionExpiryInterval = _options.SessionExpirySeconds }
            : MqttProperties.Empty;
        var password = _options.Password is null ? (ReadOnlyMemory<byte>?)null : System.Text.Encoding.UTF8.GetBytes(_options.Password);
        return new ConnectPacket(_options.Version, ClientId, _options.CleanStart, _options.KeepAliveSeconds, _options.UserName, password, null, properties);
    }

    private static string ConnectFailure(Exception exception) => exception switch
    {
        System.Net.Sockets.SocketException socket => $"connect:{socket.SocketErrorCode}",
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } => $"connect:{socket.SocketErrorCode}",
        System.Net.WebSockets.WebSocketException webSocket => $"websocket_handshake:{webSocket.WebSocketErrorCode}",
        _ => "connect:io_error",
    };
}
