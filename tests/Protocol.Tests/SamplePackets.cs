using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

/// <summary>
/// One or more packets of every type for each version, keyed by a readable name so that theories can
/// take the name as data. Together the MQTT 5 samples set every property at least once.
/// </summary>
internal static class SamplePackets
{
    private static readonly UserProperty[] UserProperties = [new("region", "eu-west"), new("region", "eu-north"), new("trace", "ü✓")];

    public static readonly IReadOnlyDictionary<string, (MqttProtocolVersion Version, MqttPacket Packet)> All = Build();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static Dictionary<string, (MqttProtocolVersion, MqttPacket)> Build()
    {
        var samples = new Dictionary<string, (MqttProtocolVersion, MqttPacket)>();
        foreach (var (name, packet) in V3Packets(MqttProtocolVersion.V311))
        {
            samples.Add("3.1.1 " + name, (MqttProtocolVersion.V311, packet));
        }

        foreach (var (name, packet) in V3Packets(MqttProtocolVersion.V310))
        {
            samples.Add("3.1 " + name, (MqttProtocolVersion.V310, packet));
        }

        foreach (var (name, packet) in V5Packets())
        {
            samples.Add("5.0 " + name, (MqttProtocolVersion.V500, packet));
        }

        return samples;
    }

    private static IEnumerable<(string, MqttPacket)> V3Packets(MqttProtocolVersion version)
    {
        var none = MqttProperties.Empty;
        yield return ("CONNECT minimal", new ConnectPacket(version, "client-1", true, 60, null, null, null, none));
        yield return ("CONNECT with will, user name and password", new ConnectPacket(
            version, "client-2", false, 0, "user", new byte[] { 1, 2, 3 },
            new WillMessage("clients/client-2/status", "offline"u8.ToArray(), MqttQoS.ExactlyOnce, true, none), none));
        yield return ("CONNACK accepted", new ConnAckPacket(version == MqttProtocolVersion.V311, ReasonCode.Success, none));
        yield return ("CONNACK refused", new ConnAckPacket(false, ReasonCode.NotAuthorized, none));
        yield return ("PUBLISH QoS 0", new PublishPacket("sensors/temperature", "21.5"u8.ToArray(), MqttQoS.AtMostOnce, false, false, 0, none));
        yield return ("PUBLISH QoS 1 retained", new PublishPacket("a/b", new byte[64], MqttQoS.AtLeastOnce, true, false, 10, none));
        yield return ("PUBLISH QoS 2 duplicate empty payload", new PublishPacket("a/b", ReadOnlyMemory<byte>.Empty, MqttQoS.ExactlyOnce, false, true, 65535, none));
        yield return ("PUBACK", new PubAckPacket(1, ReasonCode.Success, none));
        yield return ("PUBREC", new PubRecPacket(2, ReasonCode.Success, none));
        yield return ("PUBREL", new PubRelPacket(3, ReasonCode.Success, none));
        yield return ("PUBCOMP", new PubCompPacket(4, ReasonCode.Success, none));
        yield return ("SUBSCRIBE", new SubscribePacket(5, [
            new TopicSubscription("a/b", MqttQoS.AtLeastOnce, false, false, RetainHandling.SendAtSubscribe),
            new TopicSubscription("c/+/#", MqttQoS.ExactlyOnce, false, false, RetainHandling.SendAtSubscribe),
        ], none));
        yield return ("SUBACK", new SubAckPacket(5, [ReasonCode.GrantedQoS1, ReasonCode.GrantedQoS2, ReasonCode.GrantedQoS0, ReasonCode.UnspecifiedError], none));
        yield return ("UNSUBSCRIBE", new UnsubscribePacket(6, ["a/b", "c/+/#"], none));
        yield return ("UNSUBACK", new UnsubAckPacket(6, [], none));
        yield return ("PINGREQ", PingReqPacket.Instance);
        yield return ("PINGRESP", PingRespPacket.Instance);
        yield return ("DISCONNECT", new DisconnectPacket(ReasonCode.NormalDisconnection, none));
    }

    private static IEnumerable<(string, MqttPacket)> V5Packets()
    {
        const MqttProtocolVersion v5 = MqttProtocolVersion.V500;
        var none = MqttProperties.Empty;
        var reason = new MqttProperties { ReasonString = "because", UserProperties = UserProperties };
        yield return ("CONNECT minimal", new ConnectPacket(v5, "", true, 30, null, null, null, none));
        yield return ("CONNECT with every property", new ConnectPacket(
            v5, "client-5", false, 120, "user", "secret"u8.ToArray(),
            new WillMessage("clients/client-5/status", "gone"u8.ToArray(), MqttQoS.AtLeastOnce, false, new MqttProperties
            {
                PayloadFormatIndicator = 1,
                MessageExpiryInterval = 3600,
                ContentType = "text/plain",
                ResponseTopic = "clients/client-5/replies",
                CorrelationData = new byte[] { 0xDE, 0xAD, 0xBE, 0xEF },
                WillDelayInterval = 15,
                UserProperties = UserProperties,
            }),
            new MqttProperties
            {
                SessionExpiryInterval = 86400,
                AuthenticationMethod = "SCRAM-SHA-256",
                AuthenticationData = new byte[] { 9, 8, 7 },
                RequestProblemInformation = 0,
                RequestResponseInformation = 1,
                ReceiveMaximum = 100,
                TopicAliasMaximum = 10,
                UserProperties = UserProperties,
                MaximumPacketSize = 1 << 20,
            }));
        yield return ("CONNECT password without user name", new ConnectPacket(v5, "c", true, 0, null, new byte[] { 1 }, null, none));
        yield return ("CONNACK with every property", new ConnAckPacket(true, ReasonCode.Success, new MqttProperties
        {
            SessionExpiryInterval = 0xFFFFFFFF,
            AssignedClientIdentifier = "auto-123",
            ServerKeepAlive = 45,
            AuthenticationMethod = "SCRAM-SHA-256",
            AuthenticationData = new byte[] { 1 },
            ResponseInformation = "responses/",
            ServerReference = "other.example:1883",
            ReasonString = "welcome",
            ReceiveMaximum = 65535,
            TopicAliasMaximum = 0,
            MaximumQoS = 1,
            RetainAvailable = false,
            UserProperties = UserProperties,
            MaximumPacketSize = 268435460,
            WildcardSubscriptionAvailable = true,
            SubscriptionIdentifiersAvailable = false,
            SharedSubscriptionAvailable = true,
        }));
        yield return ("CONNACK refused", new ConnAckPacket(false, ReasonCode.Banned, none));
        yield return ("PUBLISH QoS 0", new PublishPacket("sensors/temperature", "21.5"u8.ToArray(), MqttQoS.AtMostOnce, false, false, 0, none));
        yield return ("PUBLISH QoS 1 with every property", new PublishPacket("a/b", new byte[64], MqttQoS.AtLeastOnce, true, true, 7, new MqttProperties
        {
            PayloadFormatIndicator = 0,
            MessageExpiryInterval = 60,
            ContentType = "application/octet-stream",
            ResponseTopic = "replies/x",
            CorrelationData = new byte[] { 1, 2, 3, 4 },
            SubscriptionIdentifiers = [1, 268435455, 300],
            TopicAlias = 3,
            UserProperties = UserProperties,
        }));
        yield return ("PUBLISH QoS 2 by topic alias", new PublishPacket("", "x"u8.ToArray(), MqttQoS.ExactlyOnce, false, false, 8, new MqttProperties { TopicAlias = 3 }));
        yield return ("PUBACK success", new PubAckPacket(1, ReasonCode.Success, none));
        yield return ("PUBACK no matching subscribers", new PubAckPacket(1, ReasonCode.NoMatchingSubscribers, none));
        yield return ("PUBACK with reason string", new PubAckPacket(1, ReasonCode.QuotaExceeded, reason));
        yield return ("PUBREC", new PubRecPacket(2, ReasonCode.PayloadFormatInvalid, reason));
        yield return ("PUBREL", new PubRelPacket(3, ReasonCode.PacketIdentifierNotFound, none));
        yield return ("PUBCOMP", new PubCompPacket(4, ReasonCode.Success, reason));
        yield return ("SUBSCRIBE with options", new SubscribePacket(5, [
            new TopicSubscription("a/b", MqttQoS.AtLeastOnce, true, false, RetainHandling.SendAtSubscribe),
            new TopicSubscription("c/+/#", MqttQoS.ExactlyOnce, false, true, RetainHandling.SendAtSubscribeIfNew),
            new TopicSubscription("$share/group/d/#", MqttQoS.AtMostOnce, false, false, RetainHandling.DoNotSend),
        ], new MqttProperties { SubscriptionIdentifiers = [42], UserProperties = UserProperties }));
        yield return ("SUBACK", new SubAckPacket(5, [ReasonCode.GrantedQoS1, ReasonCode.GrantedQoS2, ReasonCode.SharedSubscriptionsNotSupported], reason));
        yield return ("UNSUBSCRIBE", new UnsubscribePacket(6, ["a/b", "$share/group/d/#"], new MqttProperties { UserProperties = UserProperties }));
        yield return ("UNSUBACK", new UnsubAckPacket(6, [ReasonCode.Success, ReasonCode.NoSubscriptionExisted], reason));
        yield return ("PINGREQ", PingReqPacket.Instance);
        yield return ("PINGRESP", PingRespPacket.Instance);
        yield return ("DISCONNECT normal", new DisconnectPacket(ReasonCode.NormalDisconnection, none));
        yield return ("DISCONNECT with will message", new DisconnectPacket(ReasonCode.DisconnectWithWillMessage, none));
        yield return ("DISCONNECT with properties", new DisconnectPacket(ReasonCode.ServerMoved, new MqttProperties
        {
            SessionExpiryInterval = 10,
            ReasonString = "moving",
            ServerReference = "other.example",
            UserProperties = UserProperties,
        }));
        yield return ("AUTH success", new AuthPacket(ReasonCode.Success, none));
        yield return ("AUTH continue", new AuthPacket(ReasonCode.ContinueAuthentication, new MqttProperties
        {
            AuthenticationMethod = "SCRAM-SHA-256",
            AuthenticationData = new byte[] { 0xAA, 0xBB },
            ReasonString = "next step",
            UserProperties = UserProperties,
        }));
    }
}
