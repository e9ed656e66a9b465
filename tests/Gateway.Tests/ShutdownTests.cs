using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Graceful_stop_tells_mqtt5_clients_the_server_is_shutting_down()
    {
        var app = await BrokerFixture.StartBrokerAsync(new Dictionary<string, string?>());
        try
        {
            var endPoint = BrokerFixture.TcpEndPointOf(app);
            await using var v5 = await MqttTestClient.ConnectTcpAsync(endPoint, Unique("v5"), MqttProtocolVersion.V500);
            await using var v3 = await MqttTestClient.ConnectTcpAsync(endPoint, Unique("v3"), MqttProtocolVersion.V311);

            await app.StopAsync();

            var disconnect = await v5.NextAsync<DisconnectPacket>();
            Assert.Equal(ReasonCode.ServerShuttingDown, disconnect.ReasonCode);
            await v5.WaitClosedAsync();
            await v3.WaitClosedAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
