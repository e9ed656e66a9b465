using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

/// <summary>
/// A client that keeps sending but never reads must not grow the broker's memory: the broker stops reading from it
/// once its outbound queue is full (TCP backpressure), without closing it for keep-alive, and serves everyone else.
/// </summary>
public sealed class BackpressureTests : IAsyncLifetime
{
    private const int MaxQueuedMessages = 64;
    private const int MaxPendingRequests = 8;
    private const ushort KeepAliveSeconds = 1;

    /// <summary>The longest the keep-alive check could wait for a client: 1.5 keep-alive periods plus its check interval.</summary>
    private static readonly TimeSpan KeepAliveWindowAndCheck = TimeSpan.FromSeconds(KeepAliveSeconds * 1.5) + TimeSpan.FromMilliseconds(500);

    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public async Task InitializeAsync() =>
        _app = await BrokerFixture.StartBrokerAsync(new Dictionary<string, string?>
        {
            ["Mqtt:MaxQueuedMessages"] = MaxQueuedMessages.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:MaxPendingRequests"] = MaxPendingRequests.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:MaxPacketSize"] = "4096",
        });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Pingreq_flood_from_a_client_that_does_not_read_pauses_reading_and_the_outbound_queue_stays_bounded(MqttProtocolVersion version)
    {
        // More PINGRESPs than the broker's socket buffers take, so that without backpressure its queue would grow.
        const int pings = 300_000;
        var flood = new ArrayBufferWriter<byte>();
        WritePings(flood, pings);

        await FloodWithoutReadingAsync(version, flood.WrittenMemory, expectedReplyBytes: pings * 2L, bound: MaxQueuedMessages);
    }

    [Fact]
    public async Task Qos1_publish_flood_from_an_mqtt311_client_that_does_not_read_pauses_reading_and_the_outbound_queue_stays_bounded()
    {
        // MQTT 3.1.1 has no Receive Maximum: only pipelining and the paused reads bound what the broker holds. The
        // PINGREQs between the PUBLISHes fill the socket buffers sooner, so that reading pauses with requests pending.
        const int publishes = 1000;
        const int pingsPerPublish = 256;
        var topic = Unique("flood");
        var flood = new ArrayBufferWriter<byte>();
        for (var packetId = 1; packetId <= publishes; packetId++)
        {
            MqttEncoder.Write(new PublishPacket(topic, new byte[] { 1 }, MqttQoS.AtLeastOnce, false, false, (ushort)packetId, MqttProperties.Empty), MqttProtocolVersion.V311, flood);
            WritePings(flood, pingsPerPublish);
        }

        // The answers the session still owes when reading pauses (one PUBACK each) may come on top of the queue limit.
        await FloodWithoutReadingAsync(
            MqttProtocolVersion.V311,
            flood.WrittenMemory,
            expectedReplyBytes: (publishes * 4L) + (publishes * pingsPerPublish * 2L),
            bound: MaxQueuedMessages + MaxPendingRequests);
    }

    private static void WritePings(ArrayBufferWriter<byte> output, int count)
    {
        var span = output.GetSpan(count * 2)[..(count * 2)];
        for (var i = 0; i < span.Length; i += 2)
        {
            span[i] = 0xC0;
            span[i + 1] = 0;
        }

        output.Advance(span.Length);
    }

    private async Task FloodWithoutReadingAsync(MqttProtocolVersion version, ReadOnlyMemory<byte> flood, long expectedReplyBytes, int bound)
    {
        var counters = _app!.Services.GetRequiredService<GatewayCounters>();
        var endPoint = BrokerFixture.TcpEndPointOf(_app);
        await using var flooder = await TcpTestTransport.ConnectAsync(endPoint, receiveBufferSize: 4096);
        var leftover = await ConnectAsync(flooder, version);

        var sending = Task.Run(async () => await flooder.SendAsync(flood));
        await WaitUntilPausedAsync(() => counters.ReadsPaused > 0);

        // While the broker does not read from the flooder, another client is served as usual.
        await using (var other = await MqttTestClient.ConnectTcpAsync(endPoint, Unique("other"), version))
        {
            var topic = Unique("still-served");
            await other.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
            await other.PublishAsync(topic, "hello", MqttQoS.AtLeastOnce);
            Assert.Equal("hello", Text(await other.ExpectPublishAsync(topic)));
        }

        // Time itself is under test here: a whole keep-alive window passes while the broker does not read the flooder,
        // which is not silent, so it must not be closed for keep-alive.
        await Task.Delay(KeepAliveWindowAndCheck);
        Assert.InRange(counters.OutboundQueuePeak, 1, bound);

        // Once the flooder reads, everything it sent is answered: had the connection been closed (for keep-alive or
        // anything else) while reads were paused, the packets not read by then would have no answer (and an MQTT 5
        // client would get a DISCONNECT instead). Once the flood is over, the client is silent and may be closed.
        var replies = await CountBytesAsync(flooder.Input, leftover, expectedReplyBytes);
        await sending.WaitAsync(MqttTestClient.DefaultTimeout);
        Assert.Equal(expectedReplyBytes, replies);
        Assert.InRange(counters.OutboundQueuePeak, 1, bound);
    }

    /// <summary>Waits for a counter to reach a state; counters have no event, so they are looked at every few milliseconds.</summary>
    private static async Task WaitUntilPausedAsync(Func<bool> condition)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        using var deadline = new CancellationTokenSource(MqttTestClient.DefaultTimeout);
        try
        {
            while (!condition())
            {
                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the broker never stopped reading from the flooder");
        }
    }

    /// <summary>Sends CONNECT and reads the CONNACK; returns how many bytes past the CONNACK were already read.</summary>
    private static async Task<long> ConnectAsync(TcpTestTransport transport, MqttProtocolVersion version)
    {
        var connect = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(new ConnectPacket(version, Unique("flooder"), true, KeepAliveSeconds, null, null, null, MqttProperties.Empty), version, connect);
        await transport.SendAsync(connect.WrittenMemory);
        using var deadline = new CancellationTokenSource(MqttTestClient.DefaultTimeout);
        while (true)
        {
            var result = await transport.Input.ReadAsync(deadline.Token);
            var decoded = MqttDecoder.Decode(result.Buffer, version, int.MaxValue);
            if (decoded.Status == DecodeStatus.Packet)
            {
                Assert.Equal(ReasonCode.Success, Assert.IsType<ConnAckPacket>(decoded.Packet).ReasonCode);
                var leftover = result.Buffer.Length - decoded.Consumed;
                transport.Input.AdvanceTo(result.Buffer.End);
                return leftover;
            }

            Assert.NotEqual(DecodeStatus.Error, decoded.Status);
            Assert.False(result.IsCompleted, "the broker closed the connection before CONNACK");
            transport.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Reads until <paramref name="expected"/> bytes arrived (or the broker closed the connection); returns the count, at most <paramref name="expected"/>.</summary>
    private static async Task<long> CountBytesAsync(PipeReader input, long alreadyRead, long expected)
    {
        using var deadline = new CancellationTokenSource(MqttTestClient.DefaultTimeout * 3);
        var count = alreadyRead;
        while (count < expected)
        {
            var result = await input.ReadAsync(deadline.Token);
            var take = Math.Min(result.Buffer.Length, expected - count);
            count += take;
            input.AdvanceTo(result.Buffer.GetPosition(take));
            if (result.IsCompleted)
            {
                break;
            }
        }

        return count;
    }
}
