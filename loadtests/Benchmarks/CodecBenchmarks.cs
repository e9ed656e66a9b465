using System.Buffers;
using BenchmarkDotNet.Attributes;
using GrainMQ.Protocol;

namespace GrainMQ.Benchmarks;

/// <summary>The codec's hot path: PUBLISH with a 64-byte payload, plus SUBSCRIBE and CONNECT.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private PublishPacket _publish = null!;
    private SubscribePacket _subscribe = null!;
    private ConnectPacket _connect = null!;
    private ReadOnlySequence<byte> _publishV311;
    private ReadOnlySequence<byte> _publishV5;
    private ReadOnlySequence<byte> _subscribeV5;
    private ReadOnlySequence<byte> _connectV5;

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[64];
        Random.Shared.NextBytes(payload);
        _publish = new PublishPacket("sensors/building-7/floor-3/temperature", payload, MqttQoS.AtLeastOnce, false, false, 42, MqttProperties.Empty);
        _subscribe = new SubscribePacket(7, [
            new TopicSubscription("sensors/+/floor-3/#", MqttQoS.AtLeastOnce, false, false, RetainHandling.SendAtSubscribe),
            new TopicSubscription("alerts/#", MqttQoS.ExactlyOnce, true, true, RetainHandling.SendAtSubscribeIfNew),
        ], new MqttProperties { SubscriptionIdentifiers = [12] });
        _connect = new ConnectPacket(MqttProtocolVersion.V500, "device-000123", true, 60, "device", "secret"u8.ToArray(),
            new WillMessage("devices/device-000123/status", "offline"u8.ToArray(), MqttQoS.AtLeastOnce, true, MqttProperties.Empty),
            new MqttProperties { SessionExpiryInterval = 3600, ReceiveMaximum = 100 });
        _publishV311 = Encoded(_publish, MqttProtocolVersion.V311);
        _publishV5 = Encoded(_publish, MqttProtocolVersion.V500);
        _subscribeV5 = Encoded(_subscribe, MqttProtocolVersion.V500);
        _connectV5 = Encoded(_connect, MqttProtocolVersion.V500);
    }

    [Benchmark]
    public MqttPacket? DecodePublishV311() => MqttDecoder.Decode(_publishV311, MqttProtocolVersion.V311, int.MaxValue).Packet;

    [Benchmark]
    public MqttPacket? DecodePublishV5() => MqttDecoder.Decode(_publishV5, MqttProtocolVersion.V500, int.MaxValue).Packet;

    [Benchmark]
    public int EncodePublishV311() => Encode(_publish, MqttProtocolVersion.V311);

    [Benchmark]
    public int EncodePublishV5() => Encode(_publish, MqttProtocolVersion.V500);

    [Benchmark]
    public MqttPacket? DecodeSubscribeV5() => MqttDecoder.Decode(_subscribeV5, MqttProtocolVersion.V500, int.MaxValue).Packet;

    [Benchmark]
    public int EncodeSubscribeV5() => Encode(_subscribe, MqttProtocolVersion.V500);

    [Benchmark]
    public MqttPacket? DecodeConnectV5() => MqttDecoder.Decode(_connectV5, MqttProtocolVersion.V311, int.MaxValue).Packet;

    [Benchmark]
    public int EncodeConnectV5() => Encode(_connect, MqttProtocolVersion.V500);

    private static ReadOnlySequence<byte> Encoded(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(packet, version, output);
        return new ReadOnlySequence<byte>(output.WrittenMemory.ToArray());
    }

    private int Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        _output.ResetWrittenCount();
        MqttEncoder.Write(packet, version, _output);
        return _output.WrittenCount;
    }
}
