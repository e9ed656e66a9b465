using System.Net.WebSockets;
using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class WebSocketTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Theory]
    [MemberData(nameof(Versions), MemberType = typeof(TestData))]
    public async Task WebSocket_client_publishes_and_subscribes_end_to_end(MqttProtocolVersion version)
    {
        var topic = Unique("ws") + "/chat";
        await using var subscriber = await MqttTestClient.OpenWebSocketAsync(broker.WebSocketUri);
        Assert.Equal("mqtt", ((WebSocketTestTransport)subscriber.Transport).SubProtocol);
        Assert.Equal(ReasonCode.Success, (await subscriber.ConnectAsync(Unique("ws-sub"), version)).ReasonCode);
        await subscriber.SubscribeAsync(topic, MqttQoS.ExactlyOnce);
        await using var publisher = await MqttTestClient.OpenWebSocketAsync(broker.WebSocketUri);
        Assert.Equal(ReasonCode.Success, (await publisher.ConnectAsync(Unique("ws-pub"), version)).ReasonCode);

        await publisher.PublishAsync(topic, "hello over websocket", MqttQoS.ExactlyOnce);

        var received = await subscriber.ExpectPublishAsync(topic);
        Assert.Equal("hello over websocket", Text(received));
        Assert.Equal(MqttQoS.ExactlyOnce, received.QoS);
    }

    [Fact]
    public async Task WebSocket_and_tcp_clients_talk_to_each_other()
    {
        var topic = Unique("mixed");
        await using var subscriber = await MqttTestClient.OpenWebSocketAsync(broker.WebSocketUri);
        await subscriber.ConnectAsync(Unique("ws-sub"), MqttProtocolVersion.V500);
        await subscriber.SubscribeAsync(topic, MqttQoS.AtLeastOnce);
        await using var publisher = await MqttTestClient.ConnectTcpAsync(broker.TcpEndPoint, Unique("tcp-pub"), MqttProtocolVersion.V311);

        await publisher.PublishAsync(topic, "from tcp", MqttQoS.AtLeastOnce);

        Assert.Equal("from tcp", Text(await subscriber.ExpectPublishAsync(topic)));
    }

    [Fact]
    public async Task WebSocket_client_that_disconnects_gets_the_socket_closed()
    {
        await using var client = await MqttTestClient.OpenWebSocketAsync(broker.WebSocketUri);
        await client.ConnectAsync(Unique("ws-bye"), MqttProtocolVersion.V500);

        await client.DisconnectAsync();
    }

    [Fact]
    public async Task WebSocket_upgrade_on_another_path_is_refused()
    {
        var uri = new UriBuilder(broker.WebSocketUri) { Path = "/elsewhere" }.Uri;

        await Assert.ThrowsAsync<WebSocketException>(() => MqttTestClient.OpenWebSocketAsync(uri));
    }

    [Fact]
    public async Task WebSocket_offering_only_other_subprotocols_is_refused()
    {
        await Assert.ThrowsAsync<WebSocketException>(() => MqttTestClient.OpenWebSocketAsync(broker.WebSocketUri, "chat"));
    }
}
