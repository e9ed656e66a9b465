using System.Text.Json.Serialization.Metadata;
using GrainMQ.Grains.Interfaces.Wire;
using GrainMQ.Protocol;
using GrainMQ.Runtime.Cluster;

namespace GrainMQ.Grains.Interfaces;

/// <summary>
/// Every message that crosses processes between gateways and broker grains, with its wire tag: the messages of
/// this assembly and the MQTT packets sessions send to connections (observer messages) or receive in a
/// <see cref="SessionPacket"/>. Silos and gateway processes register the same list. The messages of the PUBLISH path
/// (<see cref="SessionPacket"/>, <see cref="PacketHandled"/>, <see cref="DeliverMessage"/>,
/// <see cref="DeliveryAcknowledged"/> and the packets a session sends) have binary codecs (<c>Wire/</c>); the rest
/// go as JSON.
/// </summary>
public static class BrokerMessageTypes
{
    private static readonly (Type Type, string Tag)[] Packets =
    [
        (typeof(ConnectPacket), "connect"),
        (typeof(ConnAckPacket), "connack"),
        (typeof(PublishPacket), "publish"),
        (typeof(PubAckPacket), "puback"),
        (typeof(PubRecPacket), "pubrec"),
        (typeof(PubRelPacket), "pubrel"),
        (typeof(PubCompPacket), "pubcomp"),
        (typeof(SubscribePacket), "subscribe"),
        (typeof(SubAckPacket), "suback"),
        (typeof(UnsubscribePacket), "unsubscribe"),
        (typeof(UnsubAckPacket), "unsuback"),
        (typeof(PingReqPacket), "pingreq"),
        (typeof(PingRespPacket), "pingresp"),
        (typeof(DisconnectPacket), "disconnect"),
        (typeof(AuthPacket), "auth"),
    ];

    /// <summary>Adds the broker's message types and the MQTT packet polymorphism to <paramref name="options"/>.</summary>
    public static void Register(ClusterSerializationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options
            .AddType<SessionConnect>("session.connect")
            .AddType<SessionConnectResult>("session.connect-result")
            .AddType(typeof(SessionPacket), "session.packet", new SessionPacketCodec())
            .AddType(typeof(PacketHandled), "session.packet-handled", new PacketHandledCodec())
            .AddType<SessionDisconnect>("session.disconnect")
            .AddType<ConnectionLost>("session.connection-lost")
            .AddType(typeof(DeliverMessage), "session.deliver", new DeliverMessageCodec())
            .AddType(typeof(DeliveryAcknowledged), "session.delivery-ack", new DeliveryAcknowledgedCodec())
            .AddType<CloseConnection>("connection.close")
            .AddType<TopicSubscribe>("topic.subscribe")
            .AddType<TopicUnsubscribe>("topic.unsubscribe")
            .AddType<TopicSubscriptionChanged>("topic.changed")
            .AddType<StoreRetainedMessage>("retained.store")
            .AddType<RetainedMessageStored>("retained.stored")
            .AddType<RemoveExpiredRetainedMessage>("retained.remove-expired");
        foreach (var (type, tag) in Packets)
        {
            if (type == typeof(ConnectPacket) || type == typeof(SubscribePacket) || type == typeof(UnsubscribePacket))
            {
                options.AddType(type, "mqtt." + tag);
            }
            else
            {
                // What sessions send to connections, once per message or acknowledgement: in MQTT's own wire format.
                options.AddType(type, "mqtt." + tag, MqttPacketCodec.Instance);
            }
        }

        options.Modifiers.Add(DescribePackets);
    }

    // MqttPacket fields (SessionPacket.Packet) carry their concrete type; the computed Type property is not sent.
    private static void DescribePackets(JsonTypeInfo info)
    {
        if (info.Type == typeof(MqttPacket))
        {
            info.PolymorphismOptions = new JsonPolymorphismOptions();
            foreach (var (type, tag) in Packets)
            {
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, tag));
            }
        }

        if (typeof(MqttPacket).IsAssignableFrom(info.Type) && info.Kind == JsonTypeInfoKind.Object)
        {
            for (var i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (info.Properties[i].Name == nameof(MqttPacket.Type))
                {
                    info.Properties.RemoveAt(i);
                }
            }
        }
    }
}
