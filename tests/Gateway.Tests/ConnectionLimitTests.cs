using GrainMQ.Gateway.Tests.Infrastructure;
using GrainMQ.Protocol;
using static GrainMQ.Gateway.Tests.Infrastructure.TestData;

namespace GrainMQ.Gateway.Tests;

public sealed class ConnectionLimitTests : IAsyncLifetime
{
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    public async Task InitializeAsync() =>
        _app = await BrokerFixture.StartBrokerAsync(new Dictionary<string, string?> { ["Mqtt:MaxConnections"] = "1" });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, ConnectReturnCode.ServerUnavailable)]
    [InlineData(MqttProtocolVersion.V500, null)]
    public async Task Connection_beyond_the_listener_maximum_is_refused_as_busy(MqttProtocolVersion version, ConnectReturnCode? v3ReturnCode)
    {
        var endPoint = BrokerFixture.TcpEndPointOf(_app!);
        await using var first = await MqttTestClient.ConnectTcpAsync(endPoint, Unique("first"), version);
        await using var second = await MqttTestClient.OpenTcpAsync(endPoint);

        var connAck = await second.ConnectAsync(Unique("second"), version);

        if (v3ReturnCode is { } returnCode)
        {
            Assert.Equal(returnCode, ConnAckPacket.ToV3ReturnCode(connAck.ReasonCode));
        }
        else
        {
            Assert.Equal(ReasonCode.ServerBusy, connAck.ReasonCode);
        }

        await second.WaitClosedAsync();
        await first.SendAsync(PingReqPacket.Instance);
        await first.NextAsync<PingRespPacket>();
    }
}
