using System.Text;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Grains;
using GrainMQ.Protocol;
using Microsoft.Extensions.DependencyInjection;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

/// <summary>
/// Well-framed requests the broker refuses: a reason-coded answer where MQTT has one, and the connection lives unless
/// the specification says it must close.
/// </summary>
public sealed class RefusedRequestTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    /// <summary>MQTT 5 CONNECTs read whole but refused (annotated bytes), and the CONNACK reason code they get.</summary>
    public static TheoryData<string, string, ReasonCode> RefusedMqtt5Connects => new()
    {
        { "will topic with a wildcard", "10 16   00 04 'MQTT' 05   06   00 3C   00   00 01 'a'   00   00 03 'a/#'   00 00", ReasonCode.TopicNameInvalid },
        { "session expiry interval twice", "10 18   00 04 'MQTT' 05   02   00 3C   0A 11 00 00 00 01 11 00 00 00 02   00 01 'a'", ReasonCode.ProtocolError },
        { "receive maximum 0", "10 11   00 04 'MQTT' 05   02   00 3C   03 21 00 00   00 01 'a'", ReasonCode.ProtocolError },
        { "maximum packet size 0", "10 13   00 04 'MQTT' 05   02   00 3C   05 27 00 00 00 00   00 01 'a'", ReasonCode.ProtocolError },
        { "unknown property 0x7F", "10 10   00 04 'MQTT' 05   02   00 3C   02 7F 00   00 01 'a'", ReasonCode.MalformedPacket },
        { "request problem information 2", "10 10   00 04 'MQTT' 05   02   00 3C   02 17 02   00 01 'a'", ReasonCode.ProtocolError },
    };

    [Theory]
    [MemberData(nameof(RefusedMqtt5Connects))]
    public async Task Refused_mqtt5_connect_is_answered_with_a_connack_reason_code_then_closed(string @case, string bytes, ReasonCode reasonCode)
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);
        client.UseVersion(MqttProtocolVersion.V500);

        await client.SendRawAsync(Bytes(bytes));

        var connAck = await client.NextAsync<ConnAckPacket>();
        Assert.True(reasonCode == connAck.ReasonCode, $"{@case}: got {connAck.ReasonCode}");
        await client.WaitClosedAsync();
    }

    [Fact]
    public async Task Refused_mqtt311_connect_without_a_fitting_return_code_is_closed_without_connack()
    {
        await using var client = await MqttTestClient.OpenTcpAsync(broker.TcpEndPoint);

        // Will topic a/# (a wildcard): MQTT 3.1.1 has no CONNACK return code for it.
        await client.SendRawAsync(Bytes("10 14   00 04 'MQTT' 04   06   00 3C   00 01 'a'   00 03 'a/#'   00 00"));

        await client.WaitClosedAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NextAsync());
    }

    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task Subscribe_with_an_invalid_filter_refuses_that_filter_and_the_connection_lives(MqttProtocolVersion version)
    {
        var topic = Unique("valid");
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("sub"), version);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("pub"), version);

        await client.SendAsync(new SubscribePacket(7, [Subscription("a/#/b"), Subscription(topic), Subscription("a+")], MqttProperties.Empty));

        var subAck = await client.NextAsync<SubAckPacket>();
        Assert.Equal(7, subAck.PacketId);
        var refused = version == MqttProtocolVersion.V500 ? ReasonCode.TopicFilterInvalid : ReasonCode.UnspecifiedError;
        Assert.Equal([refused, ReasonCode.GrantedQoS1, refused], subAck.ReasonCodes);
        await publisher.PublishAsync(topic, "still here", MqttQoS.AtLeastOnce);
        Assert.Equal("still here", Text(await client.ExpectPublishAsync(topic)));
    }

    [Fact]
    public async Task Unsubscribe_with_an_invalid_filter_is_answered_0x8f_for_that_filter_and_the_connection_lives()
    {
        var topic = Unique("valid");
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("unsub"), MqttProtocolVersion.V500);
        await client.SubscribeAsync(topic, MqttQoS.AtLeastOnce);

        await client.SendAsync(new UnsubscribePacket(9, ["#/a", topic], MqttProperties.Empty));

        var unsubAck = await client.NextAsync<UnsubAckPacket>();
        Assert.Equal([ReasonCode.TopicFilterInvalid, ReasonCode.Success], unsubAck.ReasonCodes);
        await client.SendAsync(PingReqPacket.Instance);
        await client.NextAsync<PingRespPacket>();
    }

    [Fact]
    public async Task Publish_with_a_subscription_identifier_from_a_client_is_a_protocol_error()
    {
        await using var client = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("subid"), MqttProtocolVersion.V500);

        await client.SendAsync(new PublishPacket(Unique("t"), new byte[] { 1 }, MqttQoS.AtMostOnce, false, false, 0, new MqttProperties { SubscriptionIdentifiers = [5] }));

        var disconnect = await client.NextAsync<DisconnectPacket>();
        Assert.Equal(ReasonCode.ProtocolError, disconnect.ReasonCode);
        await client.WaitClosedAsync();
    }

    [Theory]
    [MemberData(nameof(VersionsAndQoS), MemberType = typeof(TestData))]
    public async Task Publish_to_a_sys_topic_is_refused_and_reaches_no_subscriber(MqttProtocolVersion version, MqttQoS qos)
    {
        var topic = "$SYS/broker/" + Unique("spoofed");
        var counters = broker.Services.GetRequiredService<BrokerCounters>();
        await using var watcher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("watcher"), MqttProtocolVersion.V500);
        await watcher.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await using var spoofer = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("spoofer"), version);
        var before = counters.Dropped(DropReason.NotAuthorized);

        await spoofer.SendAsync(new PublishPacket(topic, Encoding.UTF8.GetBytes("0"), qos, true, false, qos == MqttQoS.AtMostOnce ? (ushort)0 : (ushort)3, MqttProperties.Empty));

        // MQTT 5 says Not Authorized; MQTT 3 has no negative acknowledgement, so its flow completes as usual.
        var expected = version == MqttProtocolVersion.V500 ? ReasonCode.NotAuthorized : ReasonCode.Success;
        if (qos == MqttQoS.AtLeastOnce)
        {
            Assert.Equal(expected, (await spoofer.NextAsync<PubAckPacket>()).ReasonCode);
        }
        else if (qos == MqttQoS.ExactlyOnce)
        {
            Assert.Equal(expected, (await spoofer.NextAsync<PubRecPacket>()).ReasonCode);
            if (version != MqttProtocolVersion.V500)
            {
                await spoofer.SendAsync(new PubRelPacket(3, ReasonCode.Success, MqttProperties.Empty));
                Assert.Equal(ReasonCode.Success, (await spoofer.NextAsync<PubCompPacket>()).ReasonCode);
            }
        }

        // The session handles a client's PUBLISHes in order: once a later one reaches the watcher, the $SYS one was
        // handled, and it went nowhere.
        var marker = Unique("marker");
        await watcher.SubscribeAsync(marker, MqttQoS.AtLeastOnce);
        await spoofer.PublishAsync(marker, "after", MqttQoS.AtLeastOnce);
        var next = await watcher.NextAsync<PublishPacket>();
        Assert.Equal(marker, next.Topic);
        Assert.Equal(before + 1, counters.Dropped(DropReason.NotAuthorized));

        // Nor was it retained: a late subscriber gets nothing either.
        await using var late = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("late"), MqttProtocolVersion.V500);
        await late.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await late.SubscribeAsync(marker, MqttQoS.AtLeastOnce);
        await spoofer.PublishAsync(marker, "last", MqttQoS.AtLeastOnce);
        Assert.Equal(marker, (await late.NextAsync<PublishPacket>()).Topic);
    }

    private static TopicSubscription Subscription(string filter) => new(filter, MqttQoS.AtLeastOnce, false, false, RetainHandling.SendAtSubscribe);

    /// <summary>Annotated bytes: pairs of hex digits and quoted text (as its UTF-8 bytes).</summary>
    private static byte[] Bytes(string annotated)
    {
        var bytes = new List<byte>();
        var i = 0;
        while (i < annotated.Length)
        {
            if (char.IsWhiteSpace(annotated[i]))
            {
                i++;
            }
            else if (annotated[i] == '\'')
            {
                var end = annotated.IndexOf('\'', i + 1);
                bytes.AddRange(Encoding.UTF8.GetBytes(annotated[(i + 1)..end]));
                i = end + 1;
            }
            else
            {
                bytes.Add(Convert.ToByte(annotated.Substring(i, 2), 16));
                i += 2;
            }
        }

        return [.. bytes];
    }
}
