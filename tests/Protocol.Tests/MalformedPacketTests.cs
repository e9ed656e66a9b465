using GrainMQ.Protocol;
using static GrainMQ.Protocol.Tests.Codec;

namespace GrainMQ.Protocol.Tests;

/// <summary>
/// Input every decoder must refuse, by packet type: the case, the connection's version, the bytes, and
/// the MQTT 5 reason code the refusal carries.
/// </summary>
public class MalformedPacketTests
{
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;

    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> FixedHeaders => new()
    {
        { "packet type 0 is reserved", V3, "00 00", ReasonCode.MalformedPacket },
        { "AUTH before MQTT 5 is a reserved type", V3, "F0 00", ReasonCode.MalformedPacket },
        { "PUBLISH with QoS 3", V3, "36 05   00 01 'a'   00 01", ReasonCode.MalformedPacket },
        { "PUBLISH with QoS 3 in MQTT 5", V5, "36 06   00 01 'a'   00 01   00", ReasonCode.MalformedPacket },
        { "PUBLISH with DUP and QoS 0", V3, "38 03   00 01 'a'", ReasonCode.MalformedPacket },
        { "PUBLISH with DUP and QoS 0 in MQTT 5", V5, "38 04   00 01 'a'   00", ReasonCode.MalformedPacket },
        { "CONNECT with flags 0001", V3, "11 00", ReasonCode.MalformedPacket },
        { "CONNACK with flags 1000", V3, "28 02   00 00", ReasonCode.MalformedPacket },
        { "PUBACK with flags 0010", V3, "42 02   00 01", ReasonCode.MalformedPacket },
        { "PUBREC with flags 0010", V3, "52 02   00 01", ReasonCode.MalformedPacket },
        { "PUBREL with flags 0000", V3, "60 02   00 01", ReasonCode.MalformedPacket },
        { "PUBCOMP with flags 0001", V3, "71 02   00 01", ReasonCode.MalformedPacket },
        { "SUBSCRIBE with flags 0000", V3, "80 06   00 01   00 01 'a' 00", ReasonCode.MalformedPacket },
        { "SUBACK with flags 0010", V3, "92 03   00 01   00", ReasonCode.MalformedPacket },
        { "UNSUBSCRIBE with flags 0000", V3, "A0 05   00 01   00 01 'a'", ReasonCode.MalformedPacket },
        { "UNSUBACK with flags 0010", V3, "B2 02   00 01", ReasonCode.MalformedPacket },
        { "PINGREQ with flags 0001", V3, "C1 00", ReasonCode.MalformedPacket },
        { "PINGRESP with flags 1000", V3, "D8 00", ReasonCode.MalformedPacket },
        { "DISCONNECT with flags 0010", V3, "E2 00", ReasonCode.MalformedPacket },
        { "AUTH with flags 0001", V5, "F1 00", ReasonCode.MalformedPacket },
    };

    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> Connects => new()
    {
        { "reserved flag bit 0 set", V3, "10 0D   00 04 'MQTT' 04   03   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "will QoS 3", V3, "10 0D   00 04 'MQTT' 04   1E   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "will QoS without the will flag", V3, "10 0D   00 04 'MQTT' 04   0A   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "will retain without the will flag", V3, "10 0D   00 04 'MQTT' 04   22   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "password without user name in 3.1.1", V3, "10 10   00 04 'MQTT' 04   42   00 3C   00 01 'a'   00 01 'p'", ReasonCode.MalformedPacket },
        { "unknown protocol name", V3, "10 0D   00 04 'HTTP' 04   02   00 3C   00 01 'a'", ReasonCode.UnsupportedProtocolVersion },
        { "client identifier longer than the packet", V3, "10 0D   00 04 'MQTT' 04   02   00 3C   00 05 'a'", ReasonCode.MalformedPacket },
        { "client identifier not UTF-8", V3, "10 0D   00 04 'MQTT' 04   02   00 3C   00 01 FF", ReasonCode.MalformedPacket },
        { "client identifier with U+0000", V3, "10 0D   00 04 'MQTT' 04   02   00 3C   00 01 00", ReasonCode.MalformedPacket },
        { "client identifier with an encoded surrogate", V3, "10 0F   00 04 'MQTT' 04   02   00 3C   00 03 ED A0 80", ReasonCode.MalformedPacket },
        { "client identifier with an overlong encoding", V3, "10 0E   00 04 'MQTT' 04   02   00 3C   00 02 C0 AF", ReasonCode.MalformedPacket },
        { "will topic with a wildcard", V3, "10 14   00 04 'MQTT' 04   06   00 3C   00 01 'a'   00 03 'a/#'   00 00", ReasonCode.TopicNameInvalid },
        { "will flag without will topic", V3, "10 0D   00 04 'MQTT' 04   06   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "user name flag without user name", V3, "10 0D   00 04 'MQTT' 04   82   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "a byte left over", V3, "10 0E   00 04 'MQTT' 04   02   00 3C   00 01 'a'   00", ReasonCode.MalformedPacket },
    };

    /// <summary>Refused MQTT 5 CONNECTs, read whole: the broker answers them with a CONNACK carrying the reason code.</summary>
    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> Mqtt5Connects => new()
    {
        { "no properties in MQTT 5", V5, "10 0D   00 04 'MQTT' 05   02   00 3C   00 01 'a'", ReasonCode.MalformedPacket },
        { "topic alias property", V5, "10 11   00 04 'MQTT' 05   02   00 3C   03 23 00 01   00 01 'a'", ReasonCode.ProtocolError },
        { "session expiry interval twice", V5, "10 18   00 04 'MQTT' 05   02   00 3C   0A 11 00 00 00 01 11 00 00 00 02   00 01 'a'", ReasonCode.ProtocolError },
        { "unknown property 0x7F", V5, "10 10   00 04 'MQTT' 05   02   00 3C   02 7F 00   00 01 'a'", ReasonCode.MalformedPacket },
        { "receive maximum 0", V5, "10 11   00 04 'MQTT' 05   02   00 3C   03 21 00 00   00 01 'a'", ReasonCode.ProtocolError },
        { "maximum packet size 0", V5, "10 13   00 04 'MQTT' 05   02   00 3C   05 27 00 00 00 00   00 01 'a'", ReasonCode.ProtocolError },
        { "request problem information 2", V5, "10 10   00 04 'MQTT' 05   02   00 3C   02 17 02   00 01 'a'", ReasonCode.ProtocolError },
        { "property length past the end", V5, "10 10   00 04 'MQTT' 05   02   00 3C   09 11 00 00   00 01 'a'", ReasonCode.MalformedPacket },
        { "property value cut short by the property length", V5, "10 10   00 04 'MQTT' 05   02   00 3C   02 11 00   00 01 'a'", ReasonCode.MalformedPacket },
        { "will delay interval outside the will", V5, "10 13   00 04 'MQTT' 05   02   00 3C   05 18 00 00 00 01   00 01 'a'", ReasonCode.ProtocolError },
        { "session expiry interval in the will", V5, "10 19   00 04 'MQTT' 05   06   00 3C   00   00 01 'a'   05 11 00 00 00 01   00 01 't'   00 00", ReasonCode.ProtocolError },
        { "user property without a value", V5, "10 13   00 04 'MQTT' 05   02   00 3C   05 26 00 01 'n' 00   00 01 'a'", ReasonCode.MalformedPacket },
        { "a byte left over in MQTT 5", V5, "10 0F   00 04 'MQTT' 05   02   00 3C   00   00 01 'a'   00", ReasonCode.MalformedPacket },
        { "will topic with a wildcard in MQTT 5", V5, "10 16   00 04 'MQTT' 05   06   00 3C   00   00 01 'a'   00   00 03 'a/#'   00 00", ReasonCode.TopicNameInvalid },
    };

    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> Publishes => new()
    {
        { "topic name with +", V3, "30 05   00 03 'a/+'", ReasonCode.TopicNameInvalid },
        { "topic name with #", V3, "30 05   00 03 'a/#'", ReasonCode.TopicNameInvalid },
        { "empty topic name", V3, "30 02   00 00", ReasonCode.TopicNameInvalid },
        { "empty topic name without topic alias", V5, "30 03   00 00   00", ReasonCode.ProtocolError },
        { "QoS 1 with packet identifier 0", V3, "32 05   00 01 'a'   00 00", ReasonCode.ProtocolError },
        { "QoS 2 without packet identifier", V3, "34 03   00 01 'a'", ReasonCode.MalformedPacket },
        { "topic name longer than the packet", V3, "30 03   00 05 'a'", ReasonCode.MalformedPacket },
        { "topic name length cut short", V3, "30 01   00", ReasonCode.MalformedPacket },
        { "topic name not UTF-8", V3, "30 03   00 01 C0", ReasonCode.MalformedPacket },
        { "topic name with U+0000", V3, "30 03   00 01 00", ReasonCode.MalformedPacket },
        { "topic name with an encoded surrogate", V3, "30 05   00 03 ED B0 80", ReasonCode.MalformedPacket },
        { "no property length in MQTT 5", V5, "30 03   00 01 'a'", ReasonCode.MalformedPacket },
        { "topic alias 0", V5, "30 07   00 01 'a'   03 23 00 00", ReasonCode.TopicAliasInvalid },
        { "subscription identifier 0", V5, "30 06   00 01 'a'   02 0B 00", ReasonCode.ProtocolError },
        { "topic alias twice", V5, "30 0A   00 01 'a'   06 23 00 01 23 00 02", ReasonCode.ProtocolError },
        { "session expiry interval property", V5, "30 09   00 01 'a'   05 11 00 00 00 01", ReasonCode.ProtocolError },
        { "payload format indicator 2", V5, "30 06   00 01 'a'   02 01 02", ReasonCode.ProtocolError },
        { "response topic with a wildcard", V5, "30 09   00 01 'a'   05 08 00 02 '#/'", ReasonCode.ProtocolError },
        { "correlation data longer than the properties", V5, "30 08   00 01 'a'   04 09 00 05 'x'", ReasonCode.MalformedPacket },
    };

    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> Acknowledgements => new()
    {
        { "PUBACK with packet identifier 0", V3, "40 02   00 00", ReasonCode.ProtocolError },
        { "PUBACK cut short", V3, "40 01   00", ReasonCode.MalformedPacket },
        { "PUBACK with a byte left over", V3, "40 03   00 01   00", ReasonCode.MalformedPacket },
        { "PUBREC with packet identifier 0", V3, "50 02   00 00", ReasonCode.ProtocolError },
        { "PUBREL with packet identifier 0", V3, "62 02   00 00", ReasonCode.ProtocolError },
        { "PUBCOMP with packet identifier 0", V3, "70 02   00 00", ReasonCode.ProtocolError },
        { "PUBACK with reason code 0x04", V5, "40 03   00 01   04", ReasonCode.MalformedPacket },
        { "PUBREC with reason code 0x92", V5, "50 03   00 01   92", ReasonCode.MalformedPacket },
        { "PUBREL with reason code 0x10", V5, "62 03   00 01   10", ReasonCode.MalformedPacket },
        { "PUBCOMP with reason code 0x80", V5, "70 03   00 01   80", ReasonCode.MalformedPacket },
        { "PUBACK with topic alias property", V5, "40 07   00 01   00   03 23 00 01", ReasonCode.ProtocolError },
        { "PUBCOMP with reason string twice", V5, "70 0C   00 01   00   08 1F 00 01 'a' 1F 00 01 'b'", ReasonCode.ProtocolError },
        { "CONNACK with reserved acknowledge flags", V3, "20 02   02   00", ReasonCode.MalformedPacket },
        { "CONNACK with return code 6", V3, "20 02   00   06", ReasonCode.MalformedPacket },
        { "CONNACK with reason code 0x04", V5, "20 03   00   04   00", ReasonCode.MalformedPacket },
        { "CONNACK with topic alias property", V5, "20 06   00   00   03 23 00 01", ReasonCode.ProtocolError },
        { "CONNACK with maximum QoS 2", V5, "20 05   00   00   02 24 02", ReasonCode.ProtocolError },
        { "SUBACK with return code 3", V3, "90 03   00 01   03", ReasonCode.MalformedPacket },
        { "SUBACK without return codes", V3, "90 02   00 01", ReasonCode.ProtocolError },
        { "SUBACK with reason code 0x81", V5, "90 04   00 01   00   81", ReasonCode.MalformedPacket },
        { "UNSUBACK with a byte left over", V3, "B0 03   00 01   00", ReasonCode.MalformedPacket },
        { "UNSUBACK with reason code 0x10", V5, "B0 04   00 01   00   10", ReasonCode.MalformedPacket },
        { "UNSUBACK without reason codes", V5, "B0 03   00 01   00", ReasonCode.ProtocolError },
    };

    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> Subscriptions => new()
    {
        { "SUBSCRIBE without subscriptions", V3, "82 02   00 01", ReasonCode.ProtocolError },
        { "SUBSCRIBE without subscriptions in MQTT 5", V5, "82 03   00 01   00", ReasonCode.ProtocolError },
        { "SUBSCRIBE with packet identifier 0", V3, "82 06   00 00   00 01 'a' 00", ReasonCode.ProtocolError },
        { "SUBSCRIBE with upper bits of the requested QoS set", V3, "82 06   00 01   00 01 'a' 04", ReasonCode.MalformedPacket },
        { "SUBSCRIBE with requested QoS 3", V3, "82 06   00 01   00 01 'a' 03", ReasonCode.MalformedPacket },
        { "SUBSCRIBE without the requested QoS", V3, "82 05   00 01   00 01 'a'", ReasonCode.MalformedPacket },
        { "SUBSCRIBE with QoS 3 in MQTT 5", V5, "82 07   00 01   00   00 01 'a' 03", ReasonCode.MalformedPacket },
        { "SUBSCRIBE with reserved option bits", V5, "82 07   00 01   00   00 01 'a' 40", ReasonCode.MalformedPacket },
        { "SUBSCRIBE with retain handling 3", V5, "82 07   00 01   00   00 01 'a' 30", ReasonCode.ProtocolError },
        { "SUBSCRIBE with a filter that is not UTF-8", V3, "82 06   00 01   00 01 C0 00", ReasonCode.MalformedPacket },
        { "SUBSCRIBE with no local on a shared subscription", V5, "82 10   00 01   00   00 0A '$share/g/a' 04", ReasonCode.ProtocolError },
        { "SUBSCRIBE with subscription identifier 0", V5, "82 09   00 01   02 0B 00   00 01 'a' 00", ReasonCode.ProtocolError },
        { "SUBSCRIBE with two subscription identifiers", V5, "82 0B   00 01   04 0B 01 0B 02   00 01 'a' 00", ReasonCode.ProtocolError },
        { "SUBSCRIBE with reason string property", V5, "82 0B   00 01   04 1F 00 01 'x'   00 01 'a' 00", ReasonCode.ProtocolError },
        { "UNSUBSCRIBE without filters", V3, "A2 02   00 01", ReasonCode.ProtocolError },
        { "UNSUBSCRIBE with packet identifier 0", V3, "A2 05   00 00   00 01 'a'", ReasonCode.ProtocolError },
        { "UNSUBSCRIBE with a filter that is not UTF-8", V3, "A2 05   00 01   00 01 C0", ReasonCode.MalformedPacket },
        { "UNSUBSCRIBE with reason string property", V5, "A2 0A   00 01   04 1F 00 01 'x'   00 01 'a'", ReasonCode.ProtocolError },
    };

    public static TheoryData<string, MqttProtocolVersion, string, ReasonCode> Others => new()
    {
        { "PINGREQ with a body", V3, "C0 01   00", ReasonCode.MalformedPacket },
        { "PINGRESP with a body", V3, "D0 01   00", ReasonCode.MalformedPacket },
        { "DISCONNECT with a body in 3.1.1", V3, "E0 01   00", ReasonCode.MalformedPacket },
        { "DISCONNECT with reason code 0x01", V5, "E0 01   01", ReasonCode.MalformedPacket },
        { "DISCONNECT with reason code 0x8C", V5, "E0 01   8C", ReasonCode.MalformedPacket },
        { "DISCONNECT with topic alias property", V5, "E0 05   00   03 23 00 01", ReasonCode.ProtocolError },
        { "AUTH with reason code 0x87", V5, "F0 01   87", ReasonCode.MalformedPacket },
        { "AUTH with session expiry interval property", V5, "F0 07   18   05 11 00 00 00 01", ReasonCode.ProtocolError },
        { "AUTH with authentication method twice", V5, "F0 0C   18   0A 15 00 02 'ab' 15 00 02 'cd'", ReasonCode.ProtocolError },
    };

    [Theory]
    [MemberData(nameof(FixedHeaders))]
    [MemberData(nameof(Connects))]
    [MemberData(nameof(Publishes))]
    [MemberData(nameof(Acknowledgements))]
    [MemberData(nameof(Subscriptions))]
    [MemberData(nameof(Others))]
    public void Bad_input_is_refused_with_its_reason_code(string @case, MqttProtocolVersion version, string bytes, ReasonCode reasonCode)
    {
        var error = DecodeError(Bytes(bytes), version);

        Assert.True(reasonCode == error.ReasonCode, $"{@case}: expected {reasonCode}, got {error.ReasonCode} ({error.Message})");
        Assert.False(error.FrameIntact, @case);
    }

    [Theory]
    [MemberData(nameof(Mqtt5Connects))]
    public void Refused_mqtt5_connect_read_whole_is_to_be_answered_with_a_connack_reason_code(string @case, MqttProtocolVersion version, string bytes, ReasonCode reasonCode)
    {
        var whole = Bytes(bytes);

        var result = Decode(whole, version);

        var error = Assert.IsType<DecodeError>(result.Error);
        Assert.True(reasonCode == error.ReasonCode, $"{@case}: expected {reasonCode}, got {error.ReasonCode} ({error.Message})");
        Assert.True(error.FrameIntact, @case);
        Assert.Null(error.V3ConnectReturnCode);
        Assert.Equal(2 + whole[1], result.Consumed); // the whole frame: fixed header and remaining length (one byte here)
    }

    [Theory]
    [MemberData(nameof(Connects))]
    [MemberData(nameof(Mqtt5Connects))]
    [MemberData(nameof(Publishes))]
    [MemberData(nameof(Acknowledgements))]
    [MemberData(nameof(Subscriptions))]
    [MemberData(nameof(Others))]
    public void Bad_input_split_across_segments_is_refused_the_same(string @case, MqttProtocolVersion version, string bytes, ReasonCode reasonCode)
    {
        var whole = Bytes(bytes);
        for (var offset = 1; offset < whole.Length; offset++)
        {
            var result = MqttDecoder.Decode(Segment.SplitAt(whole, offset), version, NoLimit);

            Assert.True(reasonCode == result.Error?.ReasonCode, $"{@case} split at {offset}: got {result.Status} {result.Error?.Message}");
        }
    }

    [Theory]
    [InlineData("# not last", V3, "82 0A   00 01   00 05 'a/#/b' 00", "a/#/b")]
    [InlineData("+ inside a level", V3, "82 07   00 01   00 02 'a+' 00", "a+")]
    [InlineData("an empty filter", V3, "82 05   00 01   00 00 00", "")]
    [InlineData("a shared subscription without a filter", V3, "82 0C   00 01   00 07 '$share/' 00", "$share/")]
    [InlineData("# not last in MQTT 5", V5, "82 0B   00 01   00   00 05 'a/#/b' 00", "a/#/b")]
    public void Subscribe_with_an_invalid_filter_is_decoded_so_that_the_broker_answers_that_filter(string @case, MqttProtocolVersion version, string bytes, string filter)
    {
        var subscribe = Assert.IsType<SubscribePacket>(DecodePacket(Bytes(bytes), version));

        Assert.True(filter == subscribe.Subscriptions[0].Filter, @case);
    }

    [Fact]
    public void Unsubscribe_with_an_invalid_filter_is_decoded_so_that_the_broker_answers_that_filter()
    {
        var unsubscribe = Assert.IsType<UnsubscribePacket>(DecodePacket(Bytes("A2 0C   00 01   00 03 '#/a'   00 03 'a/b'"), V3));

        Assert.Equal(["#/a", "a/b"], unsubscribe.Filters);
    }

    [Fact]
    public void Publish_with_qos_3_is_malformed()
    {
        var error = DecodeError(Bytes("36 05   00 01 'a'   00 01"), V3);

        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
        Assert.Equal("malformed: reading PUBLISH fixed header: QoS 3", error.Message);
    }

    [Fact]
    public void Publish_with_dup_and_qos_0_is_accepted_from_an_mqtt_3_1_client()
    {
        Assert.IsType<PublishPacket>(DecodePacket(Bytes("38 03   00 01 'a'"), MqttProtocolVersion.V310));
    }

    [Fact]
    public void Error_names_what_was_being_read()
    {
        Assert.Equal("malformed: reading topic name length", DecodeError(Bytes("30 01   00"), V3).Message);
        Assert.Equal("malformed: reading topic name: not well-formed UTF-8", DecodeError(Bytes("30 03   00 01 C0"), V3).Message);
        Assert.Equal("malformed: reading PUBACK packet identifier", DecodeError(Bytes("40 01   00"), V3).Message);
        Assert.Equal("protocol error: property 0x23 topic alias appears more than once in PUBLISH", DecodeError(Bytes("30 0A   00 01 'a'   06 23 00 01 23 00 02"), V5).Message);
    }

    [Fact]
    public void Refused_packet_reports_its_whole_frame_as_consumed()
    {
        var bytes = Bytes("40 03   00 01   00   C0 00");

        var result = Decode(bytes, V3);

        Assert.Equal(DecodeStatus.Error, result.Status);
        Assert.Equal(5, result.Consumed);
    }

    [Fact]
    public void Connect_with_an_unsupported_protocol_level_is_refused_with_an_intact_frame()
    {
        var result = Decode(Bytes("10 0D   00 04 'MQTT' 06   02   00 3C   00 01 'a'"), V3);

        Assert.Equal(DecodeStatus.Error, result.Status);
        Assert.Equal(15, result.Consumed);
        Assert.Equal(ReasonCode.UnsupportedProtocolVersion, result.Error!.ReasonCode);
        Assert.Equal(ConnectReturnCode.UnacceptableProtocolVersion, result.Error.V3ConnectReturnCode);
        Assert.True(result.Error.FrameIntact);
    }

    [Fact]
    public void Connect_naming_mqisdp_with_level_4_is_an_unsupported_protocol_version()
    {
        var error = DecodeError(Bytes("10 0F   00 06 'MQIsdp' 04   02   00 3C   00 01 'a'"), V3);

        Assert.Equal(ReasonCode.UnsupportedProtocolVersion, error.ReasonCode);
        Assert.True(error.FrameIntact);
    }

    [Fact]
    public void Connect_with_an_empty_client_identifier_and_clean_session_0_is_identifier_rejected_in_3_1_1()
    {
        var error = DecodeError(Bytes("10 0C   00 04 'MQTT' 04   00   00 3C   00 00"), V3);

        Assert.Equal(ReasonCode.ClientIdentifierNotValid, error.ReasonCode);
        Assert.Equal(ConnectReturnCode.IdentifierRejected, error.V3ConnectReturnCode);
        Assert.True(error.FrameIntact);
    }

    [Fact]
    public void Connect_with_an_empty_client_identifier_and_clean_session_is_accepted_in_3_1_1()
    {
        var connect = Assert.IsType<ConnectPacket>(DecodePacket(Bytes("10 0C   00 04 'MQTT' 04   02   00 3C   00 00"), V3));

        Assert.Equal(string.Empty, connect.ClientId);
    }

    [Fact]
    public void Connect_with_an_empty_client_identifier_is_identifier_rejected_in_3_1()
    {
        var error = DecodeError(Bytes("10 0E   00 06 'MQIsdp' 03   02   00 3C   00 00"), V3);

        Assert.Equal(ConnectReturnCode.IdentifierRejected, error.V3ConnectReturnCode);
    }

    [Fact]
    public void Connect_with_an_empty_client_identifier_and_no_clean_start_is_accepted_in_mqtt_5()
    {
        Assert.IsType<ConnectPacket>(DecodePacket(Bytes("10 0D   00 04 'MQTT' 05   00   00 3C   00   00 00"), V3));
    }

    [Fact]
    public void Connect_decodes_by_its_own_protocol_level_whatever_the_connection_version()
    {
        var connect = Assert.IsType<ConnectPacket>(DecodePacket(Bytes("10 0E   00 04 'MQTT' 05   02   00 3C   00   00 01 'a'"), V3));

        Assert.Equal(MqttProtocolVersion.V500, connect.ProtocolVersion);
    }
}
