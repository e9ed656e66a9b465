using System.Buffers;
using System.Net;
using System.Text;
using System.Threading.Channels;
using GrainMQ.Protocol;

namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>
/// A small MQTT client for tests, built on the Protocol codec: it sends packets (or raw bytes), and a receive loop
/// decodes everything the broker sends into a channel. Incoming QoS 1/2 PUBLISH and PUBREL are acknowledged
/// automatically unless <see cref="AutoAcknowledge"/> is off.
/// </summary>
internal sealed class MqttTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ITestTransport _transport;
    private readonly Channel<MqttPacket> _incoming = Channel.CreateUnbounded<MqttPacket>();
    private readonly List<MqttPacket> _skipped = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;
    private volatile MqttProtocolVersion _version = MqttProtocolVersion.V311;
    private int _nextPacketId;
    private Exception? _receiveError;
    private TaskCompletionSource? _readingPaused;

    private MqttTestClient(ITestTransport transport)
    {
        _transport = transport;
        _receiving = ReceiveLoopAsync();
    }

    public MqttProtocolVersion Version => _version;

    public bool AutoAcknowledge { get; set; } = true;

    /// <summary>Completes when the broker has closed the connection.</summary>
    public Task Closed => _closed.Task;

    public ITestTransport Transport => _transport;

    public static async Task<MqttTestClient> OpenTcpAsync(IPEndPoint endPoint, int? receiveBufferSize = null) =>
        new(await TcpTestTransport.ConnectAsync(endPoint, receiveBufferSize));

    public static async Task<MqttTestClient> OpenWebSocketAsync(Uri uri, string? subProtocol = "mqtt") =>
        new(await WebSocketTestTransport.ConnectAsync(uri, subProtocol));

    /// <summary>Opens a TCP connection and connects with a clean session.</summary>
    public static async Task<MqttTestClient> ConnectTcpAsync(IPEndPoint endPoint, string clientId, MqttProtocolVersion version, ushort keepAlive = 0)
    {
        var client = await OpenTcpAsync(endPoint);
        var connAck = await client.ConnectAsync(clientId, version, keepAlive: keepAlive);
        Assert.Equal(ReasonCode.Success, connAck.ReasonCode);
        return client;
    }

    public async Task<ConnAckPacket> ConnectAsync(
        string clientId,
        MqttProtocolVersion version,
        bool cleanStart = true,
        ushort keepAlive = 0,
        MqttProperties? properties = null,
        WillMessage? will = null)
    {
        _version = version;
        await SendAsync(new ConnectPacket(version, clientId, cleanStart, keepAlive, null, null, will, properties ?? MqttProperties.Empty));
        return await NextAsync<ConnAckPacket>();
    }

    /// <summary>Decodes what the broker sends by <paramref name="version"/> (for a CONNECT sent as raw bytes).</summary>
    public void UseVersion(MqttProtocolVersion version) => _version = version;

    public ushort NextPacketId() => (ushort)((Interlocked.Increment(ref _nextPacketId) % ushort.MaxValue) + 1);

    public async Task SendAsync(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(packet, _version, buffer);
        await SendRawAsync(buffer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _transport.SendAsync(bytes);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task<SubAckPacket> SubscribeAsync(string filter, MqttQoS qos, MqttProperties? properties = null)
    {
        var packetId = NextPacketId();
        await SendAsync(new SubscribePacket(packetId, [new TopicSubscription(filter, qos, false, false, RetainHandling.SendAtSubscribe)], properties ?? MqttProperties.Empty));
        var subAck = await ExpectAsync<SubAckPacket>(ack => ack.PacketId == packetId);
        Assert.Equal((ReasonCode)qos, subAck.ReasonCodes[0]);
        return subAck;
    }

    /// <summary>Publishes and completes the QoS flow (PUBACK, or PUBREC/PUBREL/PUBCOMP).</summary>
    public async Task PublishAsync(string topic, string payload, MqttQoS qos, bool retain = false, MqttProperties? properties = null)
    {
        var packetId = qos == MqttQoS.AtMostOnce ? (ushort)0 : NextPacketId();
        await SendAsync(new PublishPacket(topic, Encoding.UTF8.GetBytes(payload), qos, retain, false, packetId, properties ?? MqttProperties.Empty));
        if (qos == MqttQoS.AtLeastOnce)
        {
            await ExpectAsync<PubAckPacket>(ack => ack.PacketId == packetId);
        }
        else if (qos == MqttQoS.ExactlyOnce)
        {
            await ExpectAsync<PubRecPacket>(rec => rec.PacketId == packetId);
            await SendAsync(new PubRelPacket(packetId, ReasonCode.Success, MqttProperties.Empty));
            await ExpectAsync<PubCompPacket>(comp => comp.PacketId == packetId);
        }
    }

    /// <summary>The next packet from the broker, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> NextAsync<T>(TimeSpan? timeout = null)
        where T : MqttPacket
    {
        var packet = await NextAsync(timeout);
        return Assert.IsType<T>(packet);
    }

    /// <summary>The next packet from the broker (those skipped by <see cref="ExpectAsync{T}"/> first).</summary>
    public async Task<MqttPacket> NextAsync(TimeSpan? timeout = null)
    {
        if (_skipped.Count > 0)
        {
            var first = _skipped[0];
            _skipped.RemoveAt(0);
            return first;
        }

        return await ReadAsync(timeout);
    }

    /// <summary>The first packet that is a <typeparamref name="T"/> and matches; other packets are kept for later.</summary>
    public async Task<T> ExpectAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : MqttPacket
    {
        for (var i = 0; i < _skipped.Count; i++)
        {
            if (_skipped[i] is T candidate && (match is null || match(candidate)))
            {
                _skipped.RemoveAt(i);
                return candidate;
            }
        }

        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var packet = await ReadAsync(deadline.Token);
            if (packet is T typed && (match is null || match(typed)))
            {
                return typed;
            }

            _skipped.Add(packet);
        }
    }

    /// <summary>The next PUBLISH on <paramref name="topic"/> (its payload as text for convenience).</summary>
    public Task<PublishPacket> ExpectPublishAsync(string topic, TimeSpan? timeout = null) =>
        ExpectAsync<PublishPacket>(publish => publish.Topic == topic, timeout);

    /// <summary>Stops reading from the socket, so that the broker's writes back up (a slow consumer).</summary>
    public void PauseReading() => Volatile.Write(ref _readingPaused, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ResumeReading() => Interlocked.Exchange(ref _readingPaused, null)?.TrySetResult();

    /// <summary>Waits until the broker closes the connection.</summary>
    public Task WaitClosedAsync(TimeSpan? timeout = null) => _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    /// <summary>Sends DISCONNECT and waits for the broker to close.</summary>
    public async Task DisconnectAsync(ReasonCode reasonCode = ReasonCode.NormalDisconnection)
    {
        await SendAsync(new DisconnectPacket(reasonCode, MqttProperties.Empty));
        await WaitClosedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        await _receiving;
        _sendLock.Dispose();
    }

    private async Task<MqttPacket> ReadAsync(TimeSpan? timeout)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await ReadAsync(deadline.Token);
    }

    private async Task<MqttPacket> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _incoming.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The connection closed before the expected packet arrived.", _receiveError);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No packet from the broker in time.");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var input = _transport.Input;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _readingPaused) is { } paused)
                {
                    await paused.Task;
                }

                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (true)
                {
                    var decoded = MqttDecoder.Decode(buffer, _version, int.MaxValue);
                    if (decoded.Status != DecodeStatus.Packet)
                    {
                        if (decoded.Status == DecodeStatus.Error)
                        {
                            throw new InvalidDataException("The broker sent a bad packet: " + decoded.Error!.Message);
                        }

                        break;
                    }

                    buffer = buffer.Slice(decoded.Consumed);
                    await AcknowledgeAsync(decoded.Packet!);
                    _incoming.Writer.TryWrite(decoded.Packet!);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception)
        {
            _receiveError = exception;
        }
        finally
        {
            _incoming.Writer.TryComplete();
            _closed.TrySetResult();
            await input.CompleteAsync();
        }
    }

    private async Task AcknowledgeAsync(MqttPacket packet)
    {
        if (!AutoAcknowledge)
        {
            return;
        }

        MqttPacket? acknowledgement = packet switch
        {
            PublishPacket { QoS: MqttQoS.AtLeastOnce } publish => new PubAckPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty),
            PublishPacket { QoS: MqttQoS.ExactlyOnce } publish => new PubRecPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty),
            PubRelPacket pubRel => new PubCompPacket(pubRel.PacketId, ReasonCode.Success, MqttProperties.Empty),
            _ => null,
        };
        if (acknowledgement is not null)
        {
            await SendAsync(acknowledgement);
        }
    }
}
