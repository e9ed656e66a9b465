using GrainMQ.Protocol;
using static GrainMQ.Protocol.Tests.Codec;

namespace GrainMQ.Protocol.Tests;

public class VariableByteIntegerTests
{
    /// <summary>The boundaries of the table in MQTT 5.0 section 1.5.5.</summary>
    public static TheoryData<int, string> Boundaries => new()
    {
        { 0, "00" },
        { 127, "7F" },
        { 128, "80 01" },
        { 16_383, "FF 7F" },
        { 16_384, "80 80 01" },
        { 2_097_151, "FF FF 7F" },
        { 2_097_152, "80 80 80 01" },
        { 268_435_455, "FF FF FF 7F" },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Value_is_written_as_the_spec_table_shows(int value, string encoded)
    {
        var buffer = new byte[4];

        var written = VariableByteInteger.Write(buffer, value);

        Assert.Equal(Bytes(encoded), buffer[..written]);
        Assert.Equal(written, VariableByteInteger.GetSize(value));
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Remaining_length_is_read_as_the_spec_table_shows(int value, string encoded)
    {
        var header = Bytes("30 " + encoded);

        var result = Decode(header, MqttProtocolVersion.V311);

        if (value == 0)
        {
            Assert.Equal(ReasonCode.MalformedPacket, result.Error?.ReasonCode);
        }
        else
        {
            Assert.Equal(DecodeStatus.NeedMoreData, result.Status);
            Assert.Equal(value, result.BytesNeeded);
        }
    }

    [Fact]
    public void Remaining_length_of_five_bytes_is_malformed()
    {
        var error = DecodeError(Bytes("30 FF FF FF FF 7F"), MqttProtocolVersion.V311);

        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
        Assert.Equal("malformed: reading remaining length: variable byte integer longer than 4 bytes", error.Message);
    }

    [Fact]
    public void Remaining_length_with_a_fifth_continuation_byte_is_malformed_before_more_bytes_arrive()
    {
        Assert.Equal(DecodeStatus.Error, Decode(Bytes("30 80 80 80 80"), MqttProtocolVersion.V311).Status);
    }

    [Fact]
    public void Property_length_of_five_bytes_is_malformed()
    {
        var error = DecodeError(Bytes("30 08   00 01 'a'   FF FF FF FF 7F"), MqttProtocolVersion.V500);

        Assert.Equal("malformed: reading property length: variable byte integer longer than 4 bytes", error.Message);
    }

    [Fact]
    public void Packet_larger_than_the_maximum_is_refused_before_its_body_arrives()
    {
        var error = DecodeError(Bytes("30 80 01"), MqttProtocolVersion.V311, maxPacketSize: 130);

        Assert.Equal(ReasonCode.PacketTooLarge, error.ReasonCode);
        Assert.False(error.FrameIntact);
    }

    [Fact]
    public void Packet_exactly_the_maximum_size_is_accepted()
    {
        var result = Decode(Bytes("30 80 01"), MqttProtocolVersion.V311, maxPacketSize: 131);

        Assert.Equal(DecodeStatus.NeedMoreData, result.Status);
        Assert.Equal(128, result.BytesNeeded);
    }

    [Fact]
    public void Empty_buffer_needs_at_least_two_bytes()
    {
        var result = Decode([], MqttProtocolVersion.V311);

        Assert.Equal(DecodeStatus.NeedMoreData, result.Status);
        Assert.Equal(2, result.BytesNeeded);
    }
}
