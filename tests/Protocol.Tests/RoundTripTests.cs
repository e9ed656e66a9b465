using System.Buffers;
using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Packet_decodes_to_what_was_encoded(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];

        var decoded = Codec.DecodePacket(Codec.Encode(packet, version), version);

        Assert.Equal(packet, decoded);
    }

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Encoded_size_is_the_number_of_bytes_written(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];

        Assert.Equal(Codec.Encode(packet, version).Length, MqttEncoder.GetEncodedSize(packet, version));
    }

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Reencoding_a_decoded_packet_gives_the_same_bytes(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];
        var bytes = Codec.Encode(packet, version);

        Assert.Equal(bytes, Codec.Encode(Codec.DecodePacket(bytes, version), version));
    }

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Packet_split_at_every_offset_decodes_the_same(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];
        var bytes = Codec.Encode(packet, version);

        for (var offset = 1; offset < bytes.Length; offset++)
        {
            var result = MqttDecoder.Decode(Segment.SplitAt(bytes, offset), version, Codec.NoLimit);

            Assert.Equal(DecodeStatus.Packet, result.Status);
            Assert.Equal(packet, result.Packet);
            Assert.Equal(bytes.Length, result.Consumed);
        }
    }

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Packet_in_one_byte_segments_decodes_the_same(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];
        var bytes = Codec.Encode(packet, version);

        var result = MqttDecoder.Decode(Segment.ByteByByte(bytes), version, Codec.NoLimit);

        Assert.Equal(DecodeStatus.Packet, result.Status);
        Assert.Equal(packet, result.Packet);
    }

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Truncation_at_every_offset_needs_more_data(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];
        var bytes = Codec.Encode(packet, version);

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = Codec.Decode(bytes[..length], version);

            Assert.Equal(DecodeStatus.NeedMoreData, result.Status);
            Assert.InRange(result.BytesNeeded, 1, bytes.Length - length);
            Assert.Null(result.Packet);
            Assert.Equal(0, result.Consumed);
        }
    }

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Packet_followed_by_more_bytes_consumes_only_its_own(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];
        var bytes = Codec.Encode(packet, version);
        var twice = bytes.Concat(bytes).ToArray();

        var result = Codec.Decode(twice, version);

        Assert.Equal(DecodeStatus.Packet, result.Status);
        Assert.Equal(bytes.Length, result.Consumed);
        Assert.Equal(packet, result.Packet);
    }

    [Fact]
    public void Publish_payload_is_copied_out_of_the_receive_buffer()
    {
        var bytes = Codec.Encode(new PublishPacket("t", new byte[] { 1, 2, 3 }, MqttQoS.AtMostOnce, false, false, 0, MqttProperties.Empty), MqttProtocolVersion.V311);

        var packet = (PublishPacket)Codec.DecodePacket(bytes, MqttProtocolVersion.V311);
        Array.Clear(bytes);

        Assert.Equal(new byte[] { 1, 2, 3 }, packet.Payload.ToArray());
    }

    [Fact]
    public void Publish_without_properties_shares_the_empty_properties()
    {
        var bytes = Codec.Encode(new PublishPacket("t", new byte[] { 1 }, MqttQoS.AtLeastOnce, false, false, 1, MqttProperties.Empty), MqttProtocolVersion.V500);

        var packet = (PublishPacket)Codec.DecodePacket(bytes, MqttProtocolVersion.V500);

        Assert.Same(MqttProperties.Empty, packet.Properties);
    }

    [Fact]
    public void Large_publish_payload_is_written_across_several_spans()
    {
        var payload = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var packet = new PublishPacket("big", payload, MqttQoS.AtLeastOnce, false, false, 9, MqttProperties.Empty);
        var output = new ArrayBufferWriter<byte>(16);

        MqttEncoder.Write(packet, MqttProtocolVersion.V500, output);

        Assert.Equal(MqttEncoder.GetEncodedSize(packet, MqttProtocolVersion.V500), output.WrittenCount);
        Assert.Equal(packet, Codec.DecodePacket(output.WrittenSpan.ToArray(), MqttProtocolVersion.V500));
    }

    [Fact]
    public void Strings_split_across_segments_decode_the_same()
    {
        var topic = new string('x', 300) + "/ü✓";
        var packet = new PublishPacket(topic, new byte[] { 1 }, MqttQoS.AtMostOnce, false, false, 0, MqttProperties.Empty);
        var bytes = Codec.Encode(packet, MqttProtocolVersion.V311);

        var result = MqttDecoder.Decode(Segment.SplitAt(bytes, 10, 200, 304), MqttProtocolVersion.V311, Codec.NoLimit);

        Assert.Equal(packet, result.Packet);
    }
}
