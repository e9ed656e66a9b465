using GrainMQ.Protocol;
using static GrainMQ.Protocol.Tests.Codec;

namespace GrainMQ.Protocol.Tests;

/// <summary>Packets as the bytes of the specifications' examples, byte by byte.</summary>
public class SpecExampleTests
{
    private static readonly MqttProperties None = MqttProperties.Empty;

    public static TheoryData<string, MqttProtocolVersion, string> Examples => new()
    {
        {
            "MQTT 5 CONNECT, variable header of the 5.0 spec's example (3.1.2.12)",
            MqttProtocolVersion.V500,
            """
            10 29            // CONNECT, remaining length 41
            00 04 'MQTT'     // protocol name
            05               // protocol version 5
            CE               // flags: user name, password, will QoS 1, will, clean start
            00 0A            // keep alive 10
            05               // property length 5
            11 00 00 00 0A   // session expiry interval 10
            00 03 'abc'      // client identifier
            00               // will property length 0
            00 03 'w/t'      // will topic
            00 02 'hi'       // will payload
            00 04 'user'     // user name
            00 02 'pw'       // password
            """
        },
        {
            "MQTT 3.1.1 CONNECT",
            MqttProtocolVersion.V311,
            "10 0F   00 04 'MQTT'   04   02   00 3C   00 03 'abc'"
        },
        {
            "MQTT 3.1 CONNECT",
            MqttProtocolVersion.V310,
            "10 11   00 06 'MQIsdp'   03   02   00 3C   00 03 'abc'"
        },
        { "MQTT 3.1.1 CONNACK, session present, accepted", MqttProtocolVersion.V311, "20 02   01   00" },
        { "MQTT 3.1.1 CONNACK, not authorized", MqttProtocolVersion.V311, "20 02   00   05" },
        { "MQTT 5 CONNACK, success, no properties", MqttProtocolVersion.V500, "20 03   00   00   00" },
        { "MQTT 3.1.1 PUBLISH QoS 1, topic a/b, packet identifier 10 (3.3.2.3)", MqttProtocolVersion.V311, "32 09   00 03 'a/b'   00 0A   'hi'" },
        { "MQTT 5 PUBLISH QoS 0 by topic alias 1", MqttProtocolVersion.V500, "30 08   00 00   03 23 00 01   'hi'" },
        { "MQTT 3.1.1 PUBACK", MqttProtocolVersion.V311, "40 02   00 0A" },
        { "MQTT 5 PUBACK, no matching subscribers", MqttProtocolVersion.V500, "40 03   00 0A   10" },
        { "MQTT 3.1.1 PUBREC", MqttProtocolVersion.V311, "50 02   00 0A" },
        { "MQTT 3.1.1 PUBREL", MqttProtocolVersion.V311, "62 02   00 0A" },
        { "MQTT 3.1.1 PUBCOMP", MqttProtocolVersion.V311, "70 02   00 0A" },
        { "MQTT 3.1.1 SUBSCRIBE a/b QoS 1, c/d QoS 2 (3.8.3.1)", MqttProtocolVersion.V311, "82 0E   00 0A   00 03 'a/b' 01   00 03 'c/d' 02" },
        {
            "MQTT 5 SUBSCRIBE with subscription identifier 1 and every option",
            MqttProtocolVersion.V500,
            "82 0B   00 0A   02 0B 01   00 03 'a/b'   2D"
        },
        { "MQTT 3.1.1 SUBACK granted 0, granted 2, failure (3.9.3)", MqttProtocolVersion.V311, "90 05   00 0A   00 02 80" },
        { "MQTT 3.1.1 UNSUBSCRIBE a/b, c/d (3.10.3.1)", MqttProtocolVersion.V311, "A2 0C   00 0A   00 03 'a/b'   00 03 'c/d'" },
        { "MQTT 3.1.1 UNSUBACK", MqttProtocolVersion.V311, "B0 02   00 0A" },
        { "MQTT 5 UNSUBACK, success and no subscription existed", MqttProtocolVersion.V500, "B0 05   00 0A   00   00 11" },
        { "PINGREQ", MqttProtocolVersion.V311, "C0 00" },
        { "PINGRESP", MqttProtocolVersion.V311, "D0 00" },
        { "MQTT 3.1.1 DISCONNECT", MqttProtocolVersion.V311, "E0 00" },
        { "MQTT 5 DISCONNECT with will message", MqttProtocolVersion.V500, "E0 01   04" },
        { "MQTT 5 AUTH success", MqttProtocolVersion.V500, "F0 00" },
        { "MQTT 5 AUTH continue, method", MqttProtocolVersion.V500, "F0 08   18   06 15 00 03 'abc'" },
    };

    private static readonly Dictionary<string, MqttPacket> Expected = new()
    {
        ["MQTT 5 CONNECT, variable header of the 5.0 spec's example (3.1.2.12)"] = new ConnectPacket(
            MqttProtocolVersion.V500, "abc", true, 10, "user", "pw"u8.ToArray(),
            new WillMessage("w/t", "hi"u8.ToArray(), MqttQoS.AtLeastOnce, false, None),
            new MqttProperties { SessionExpiryInterval = 10 }),
        ["MQTT 3.1.1 CONNECT"] = new ConnectPacket(MqttProtocolVersion.V311, "abc", true, 60, null, null, null, None),
        ["MQTT 3.1 CONNECT"] = new ConnectPacket(MqttProtocolVersion.V310, "abc", true, 60, null, null, null, None),
        ["MQTT 3.1.1 CONNACK, session present, accepted"] = new ConnAckPacket(true, ReasonCode.Success, None),
        ["MQTT 3.1.1 CONNACK, not authorized"] = new ConnAckPacket(false, ReasonCode.NotAuthorized, None),
        ["MQTT 5 CONNACK, success, no properties"] = new ConnAckPacket(false, ReasonCode.Success, None),
        ["MQTT 3.1.1 PUBLISH QoS 1, topic a/b, packet identifier 10 (3.3.2.3)"] = new PublishPacket("a/b", "hi"u8.ToArray(), MqttQoS.AtLeastOnce, false, false, 10, None),
        ["MQTT 5 PUBLISH QoS 0 by topic alias 1"] = new PublishPacket("", "hi"u8.ToArray(), MqttQoS.AtMostOnce, false, false, 0, new MqttProperties { TopicAlias = 1 }),
        ["MQTT 3.1.1 PUBACK"] = new PubAckPacket(10, ReasonCode.Success, None),
        ["MQTT 5 PUBACK, no matching subscribers"] = new PubAckPacket(10, ReasonCode.NoMatchingSubscribers, None),
        ["MQTT 3.1.1 PUBREC"] = new PubRecPacket(10, ReasonCode.Success, None),
        ["MQTT 3.1.1 PUBREL"] = new PubRelPacket(10, ReasonCode.Success, None),
        ["MQTT 3.1.1 PUBCOMP"] = new PubCompPacket(10, ReasonCode.Success, None),
        ["MQTT 3.1.1 SUBSCRIBE a/b QoS 1, c/d QoS 2 (3.8.3.1)"] = new SubscribePacket(10, [
            new TopicSubscription("a/b", MqttQoS.AtLeastOnce, false, false, RetainHandling.SendAtSubscribe),
            new TopicSubscription("c/d", MqttQoS.ExactlyOnce, false, false, RetainHandling.SendAtSubscribe),
        ], None),
        ["MQTT 5 SUBSCRIBE with subscription identifier 1 and every option"] = new SubscribePacket(10, [
            new TopicSubscription("a/b", MqttQoS.AtLeastOnce, true, true, RetainHandling.DoNotSend),
        ], new MqttProperties { SubscriptionIdentifiers = [1] }),
        ["MQTT 3.1.1 SUBACK granted 0, granted 2, failure (3.9.3)"] = new SubAckPacket(10, [ReasonCode.GrantedQoS0, ReasonCode.GrantedQoS2, ReasonCode.UnspecifiedError], None),
        ["MQTT 3.1.1 UNSUBSCRIBE a/b, c/d (3.10.3.1)"] = new UnsubscribePacket(10, ["a/b", "c/d"], None),
        ["MQTT 3.1.1 UNSUBACK"] = new UnsubAckPacket(10, [], None),
        ["MQTT 5 UNSUBACK, success and no subscription existed"] = new UnsubAckPacket(10, [ReasonCode.Success, ReasonCode.NoSubscriptionExisted], None),
        ["PINGREQ"] = PingReqPacket.Instance,
        ["PINGRESP"] = PingRespPacket.Instance,
        ["MQTT 3.1.1 DISCONNECT"] = new DisconnectPacket(ReasonCode.NormalDisconnection, None),
        ["MQTT 5 DISCONNECT with will message"] = new DisconnectPacket(ReasonCode.DisconnectWithWillMessage, None),
        ["MQTT 5 AUTH success"] = new AuthPacket(ReasonCode.Success, None),
        ["MQTT 5 AUTH continue, method"] = new AuthPacket(ReasonCode.ContinueAuthentication, new MqttProperties { AuthenticationMethod = "abc" }),
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Spec_example_bytes_decode_to_the_packet(string example, MqttProtocolVersion version, string bytes)
    {
        Assert.Equal(Expected[example], DecodePacket(Bytes(bytes), version));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Packet_encodes_to_the_spec_example_bytes(string example, MqttProtocolVersion version, string bytes)
    {
        Assert.Equal(Bytes(bytes), Encode(Expected[example], version));
    }

    [Fact]
    public void Every_example_has_its_expected_packet()
    {
        Assert.Equal(Expected.Keys.Order(), Examples.Select(row => (string)row[0]).Order());
    }
}
