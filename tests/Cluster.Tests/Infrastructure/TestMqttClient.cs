using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using GrainMQ.Protocol;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>
/// A small MQTT 5 client over a real socket, built on the Protocol codec. Incoming QoS 1/2 messages are acknowledged
/// and queued for <see cref="NextMessageAsync"/>; outgoing QoS 1/2 publishes complete when their flow completes.
/// </summary>
public sealed class TestMqttClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<PublishPacket> _messages = Channel.CreateUnbounded<PublishPacket>();
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<MqttPacket>> _acks = new();
    private readonly TaskCompletionSource<ConnAckPacket> _connAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DisconnectPacket?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;
    private int _nextPacketId;

    private TestMqttClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _receiving = ReceiveLoopAsync();
    }

    /// <summary>Completes when the broker closed the connection (with its DISCONNECT, if it sent one).</summary>
    public Task<DisconnectPacket?> Closed => _closed.Task;

    /// <summary>Connects with MQTT 5 and waits for the CONNACK.</summary>
    public static async Task<(TestMqttClient Client, ConnAckPacket ConnAck)> ConnectAsync(
        int port, string clientId, bool cleanStart = true, uint sessionExpiry = 0, WillMessage? will = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(DefaultTimeout);
        var client = new TestMqttClient(tcp);
        var properties = sessionExpiry == 0 ? MqttProperties.Empty : new MqttProperties { SessionExpiryInterval = sessionExpiry };
        await client.SendAsync(new ConnectPacket(MqttProtocolVersion.V500, clientId, cleanStart, 0, null, null, will, properties));
        var connAck = await client._connAck.Task.WaitAsync(DefaultTimeout);
        return (client, connAck);
    }

    public async Task SubscribeAsync(string filter, MqttQoS qos)
    {
        var id = NextPacketId();
        var ack = Expect(id);
        await SendAsync(new SubscribePacket(id, [new TopicSubscription(filter, qos, false, false, RetainHandling.SendAtSubscribe)], MqttProperties.Empty));
        var subAck = (SubAckPacket)await ack.WaitAsync(DefaultTimeout);
        Assert.True((byte)subAck.ReasonCodes[0] < 0x80, $"SUBACK refused {filter}: {subAck.ReasonCodes[0]}");
    }

    /// <summary>Publishes and waits for the end of the QoS flow (PUBACK, or PUBREC then PUBCOMP).</summary>
    public async Task PublishAsync(string topic, string payload, MqttQoS qos, bool retain = false) =>
        await (await StartPublishAsync(topic, System.Text.Encoding.UTF8.GetBytes(payload), qos, retain)).WaitAsync(DefaultTimeout);

    /// <summary>Sends a PUBLISH; the task it returns completes when the broker acknowledged it (QoS 1/2).</summary>
    public async Task<Task> StartPublishAsync(string topic, byte[] payload, MqttQoS qos, bool retain = false)
    {
        if (qos == MqttQoS.AtMostOnce)
        {
            await SendAsync(new PublishPacket(topic, payload, qos, retain, false, 0, MqttProperties.Empty));
            return Task.CompletedTask;
        }

        var id = NextPacketId();
        var ack = Expect(id);
        await SendAsync(new PublishPacket(topic, payload, qos, retain, false, id, MqttProperties.Empty));
        return qos == MqttQoS.AtLeastOnce ? ack : CompleteExactlyOnceAsync(id, ack);
    }

    public async Task<PublishPacket> NextMessageAsync(TimeSpan? timeout = null) =>
        await _messages.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? DefaultTimeout);

    /// <summary>Sends DISCONNECT (normal) and closes.</summary>
    public async Task DisconnectAsync()
    {
        await SendAsync(new DisconnectPacket(ReasonCode.Success, MqttProperties.Empty));
        _tcp.Close();
    }

    /// <summary>Drops the socket without DISCONNECT (the will is published).</summary>
    public void Abort() => _tcp.Client.Close(0);

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        try
        {
            await _receiving;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Closed under the loop.
        }
    }

    private async Task CompleteExactlyOnceAsync(ushort id, Task<MqttPacket> pubRec)
    {
        await pubRec;
        var pubComp = Expect(id);
        await SendAsync(new PubRelPacket(id, ReasonCode.Success, MqttProperties.Empty));
        await pubComp;
    }

    private ushort NextPacketId() => (ushort)((Interlocked.Increment(ref _nextPacketId) % ushort.MaxValue) + 1);

    private Task<MqttPacket> Expect(ushort packetId)
    {
        var waiter = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[packetId] = waiter;
        return waiter.Task;
    }

    private async Task SendAsync(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(packet, MqttProtocolVersion.V500, buffer);
        await _sendLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(buffer.WrittenMemory);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1024 * 1024];
        var filled = 0;
        DisconnectPacket? disconnect = null;
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer.AsMemory(filled));
                if (read == 0)
                {
                    break;
                }

                filled += read;
                while (true)
                {
                    var result = MqttDecoder.Decode(new ReadOnlySequence<byte>(buffer, 0, filled), MqttProtocolVersion.V500, buffer.Length);
                    if (result.Status != DecodeStatus.Packet)
                    {
                        break;
                    }

                    Buffer.BlockCopy(buffer, (int)result.Consumed, buffer, 0, filled - (int)result.Consumed);
                    filled -= (int)result.Consumed;
                    disconnect = await HandleAsync(result.Packet!) ?? disconnect;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The connection ended.
        }
        finally
        {
            _connAck.TrySetException(new IOException("closed before CONNACK"));
            foreach (var waiter in _acks.Values)
            {
                waiter.TrySetException(new IOException("the connection closed before the acknowledgement"));
            }

            _closed.TrySetResult(disconnect);
        }
    }

    private async Task<DisconnectPacket?> HandleAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case ConnAckPacket connAck:
                _connAck.TrySetResult(connAck);
                break;
            case PublishPacket publish:
                _messages.Writer.TryWrite(publish);
                if (publish.QoS == MqttQoS.AtLeastOnce)
                {
                    await SendAsync(new PubAckPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty));
                }
                else if (publish.QoS == MqttQoS.ExactlyOnce)
                {
                    await SendAsync(new PubRecPacket(publish.PacketId, ReasonCode.Success, MqttProperties.Empty));
                }

                break;
            case PubRelPacket release:
                await SendAsync(new PubCompPacket(release.PacketId, ReasonCode.Success, MqttProperties.Empty));
                break;
            case PubAckPacket or PubRecPacket or PubCompPacket or SubAckPacket or UnsubAckPacket:
                var id = packet switch
                {
                    PubAckPacket a => a.PacketId,
                    PubRecPacket r => r.PacketId,
                    PubCompPacket c => c.PacketId,
                    SubAckPacket s => s.PacketId,
                    _ => ((UnsubAckPacket)packet).PacketId,
                };
                if (_acks.TryRemove(id, out var waiter))
                {
                    waiter.TrySetResult(packet);
                }

                break;
            case DisconnectPacket disconnect:
                return disconnect;
        }

        return null;
    }
}
