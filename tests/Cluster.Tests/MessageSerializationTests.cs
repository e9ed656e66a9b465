using GrainMQ.Grains.Cluster;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Protocol;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Transport;

namespace GrainMQ.Cluster.Tests;

public sealed class MessageSerializationTests
{
    private static readonly MqttProperties FullProperties = new()
    {
        PayloadFormatIndicator = 1,
        MessageExpiryInterval = 60,
        ContentType = "text/plain",
        ResponseTopic = "reply/here",
        CorrelationData = new byte[] { 1, 2, 3 },
        SubscriptionIdentifiers = [7, 9],
        SessionExpiryInterval = 300,
        ReceiveMaximum = 100,
        TopicAliasMaximum = 10,
        UserProperties = [new UserProperty("k", "v"), new UserProperty("k", "w")],
        MaximumPacketSize = 65536,
    };

    // What a PUBLISH may carry (the codec checks the scope of every property, as it does for a client's packets).
    private static readonly MqttProperties PublishProperties = new()
    {
        PayloadFormatIndicator = 1,
        MessageExpiryInterval = 60,
        ContentType = "text/plain",
        ResponseTopic = "reply/here",
        CorrelationData = new byte[] { 1, 2, 3 },
        SubscriptionIdentifiers = [7, 9],
        UserProperties = [new UserProperty("k", "v"), new UserProperty("k", "w")],
    };

    private static readonly MqttProperties SubscribeProperties = new()
    {
        SubscriptionIdentifiers = [7],
        UserProperties = [new UserProperty("k", "v")],
    };

    private static readonly BrokerMessage Message = new(
        "a/b", new byte[] { 0, 255, 42 }, MqttQoS.ExactlyOnce, true,
        new MessageProperties(1, "application/json", "r/t", new byte[] { 9 }, [new UserProperty("x", "y")]), 1_700_000_000_000);

    public static TheoryData<object> Messages() =>
    [
        new SessionConnect(
            new ObserverId("gateway-a.1", 42),
            new ConnectPacket(MqttProtocolVersion.V500, "client", false, 30, "user", new byte[] { 5 },
                new WillMessage("will/t", new byte[] { 1 }, MqttQoS.AtLeastOnce, true, FullProperties), FullProperties),
            "client",
            FullProperties),
        new SessionConnectResult(true, true, ReasonCode.Success),
        new SessionPacket(new ObserverId("g", 1), new PublishPacket("t", new byte[] { 1, 2 }, MqttQoS.AtLeastOnce, false, true, 17, PublishProperties)),
        new SessionPacket(new ObserverId("g", 1), new SubscribePacket(3, [new TopicSubscription("a/#", MqttQoS.ExactlyOnce, true, true, RetainHandling.DoNotSend)], SubscribeProperties)),
        new SessionPacket(new ObserverId("g", 1), new UnsubscribePacket(4, ["a/#", "b"], MqttProperties.Empty)),
        new SessionPacket(new ObserverId("g", 1), new PubRelPacket(5, ReasonCode.Success, MqttProperties.Empty)),
        new SessionDisconnect(new ObserverId("g", 2), ReasonCode.DisconnectWithWillMessage, 10),
        new ConnectionLost(new ObserverId("g", 3), ReasonCode.KeepAliveTimeout),
        new DeliverMessage(Message, MqttQoS.AtLeastOnce, true, [1, 2], new DeliveryReceipt("pub", 99)),
        new DeliverMessage(Message with { Properties = null, ExpiresAtUnixMs = null }, MqttQoS.AtMostOnce, false, []),
        new DeliveryAcknowledged(99, "sub"),
        new TopicSubscribe("c", new SubscriptionOptions(MqttQoS.AtLeastOnce, true, false, RetainHandling.SendAtSubscribeIfNew, 5)),
        new StoreRetainedMessage(Message),
        new CloseConnection(ReasonCode.SessionTakenOver, "taken over"),
        new ConnAckPacket(true, ReasonCode.Success, new MqttProperties { SessionExpiryInterval = 300, ReceiveMaximum = 100, TopicAliasMaximum = 10, MaximumPacketSize = 65536, AssignedClientIdentifier = "auto-1" }),
        new PublishPacket("t/x", new byte[] { 7 }, MqttQoS.ExactlyOnce, true, false, 65535, PublishProperties),
        new PubAckPacket(9, ReasonCode.NoMatchingSubscribers, MqttProperties.Empty),
        new SubAckPacket(8, [ReasonCode.GrantedQoS1, ReasonCode.TopicFilterInvalid], MqttProperties.Empty),
        new SubscriptionIndexChanged("$share/g/a/+", "c", new SubscriptionOptions(MqttQoS.AtMostOnce, false, false, RetainHandling.SendAtSubscribe, 0)),
        new SubscriptionIndexChanged("a", "c", null),
        new RetainedIndexChanged("a/b", Message),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_between_gateways_and_grains_crosses_silos_unchanged(object message)
    {
        var serializer = NewSerializer();

        var copy = RoundTrip(serializer, message);

        Assert.Equal(message.GetType(), copy.GetType());
        if (message is SessionPacket or PublishPacket or ConnAckPacket)
        {
            Assert.Equal(message, copy);
        }

        Assert.Equal(Describe(serializer, message), Describe(serializer, copy));
    }

    [Fact]
    public void A_message_type_that_is_not_registered_is_refused_with_its_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => NewSerializer().WriteBody(FrameWriter.Rent(FrameKind.OneWay), new Version(1, 0)));

        Assert.Contains("System.Version", error.Message, StringComparison.Ordinal);
    }

    private static MessageSerializer NewSerializer()
    {
        var options = new ClusterSerializationOptions();
        BrokerMessageTypes.Register(options);
        options.AddType<SubscriptionIndexChanged>("index.subscription").AddType<RetainedIndexChanged>("index.retained");
        return new MessageSerializer(options);
    }

    private static object RoundTrip(MessageSerializer serializer, object message)
    {
        var writer = FrameWriter.Rent(FrameKind.OneWay);
        serializer.WriteBody(writer, message);
        var frame = writer.ToArray();
        var reader = new FrameReader(frame.AsSpan(5));
        return serializer.ReadBody(ref reader);
    }

    // Records with byte buffers and lists compare by reference, so the copy is compared by its encoding: a member
    // lost on the way would be missing from the copy's bytes.
    private static string Describe(MessageSerializer serializer, object message)
    {
        var writer = FrameWriter.Rent(FrameKind.OneWay);
        serializer.WriteBody(writer, message);
        return System.Text.Encoding.UTF8.GetString(writer.ToArray().AsSpan(5));
    }
}
