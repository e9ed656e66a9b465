using System.Globalization;
using GrainMQ.Protocol;
using GrainMQ.Silo.Tests.Infrastructure;

namespace GrainMQ.Silo.Tests;

/// <summary>
/// The Silo with .NET's socket completions run on the socket engine's own threads
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>), with and without Kestrel's inline scheduling
/// (<c>Mqtt:Tcp:InlineScheduling</c>): continuations then run on threads that must never block, so a gateway that
/// waited on one of them would stop delivering. Each test starts its own Silo with that environment.
/// </summary>
public sealed class InlineSocketCompletionTests
{
    private const int MessageCount = 100;

    private static readonly Dictionary<string, string> InlineCompletions = new()
    {
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Qos1_messages_arrive_in_order_when_socket_completions_run_inline(bool kestrelInlineScheduling, bool inlineWrites)
    {
        string[] arguments =
        [
            "--Mqtt:Tcp:InlineScheduling", kestrelInlineScheduling ? "true" : "false",
            "--Mqtt:InlineWrites", inlineWrites ? "true" : "false",
        ];
        await using var silo = await SiloProcess.StartAsync(arguments, SiloFixture.StartupTimeout, InlineCompletions);
        var topic = SiloFixture.UniqueTopic("inline-completions");
        var payloads = Enumerable.Range(0, MessageCount).Select(i => i.ToString("D3", CultureInfo.InvariantCulture)).ToList();
        await using var subscriber = await MosquittoSubscriber.StartAsync(
            silo.TcpPort, MqttProtocolVersion.V500, topic, MqttQoS.AtLeastOnce, [], silo.DescribeLog);

        await MosquittoPublisher.PublishLinesAsync(silo.TcpPort, MqttProtocolVersion.V500, topic, payloads, MqttQoS.AtLeastOnce, silo.DescribeLog);

        var messages = await subscriber.NextMessagesAsync(MessageCount);
        Assert.Equal(payloads, messages.Select(m => m.Payload));
        Assert.All(messages, m => Assert.Equal(MqttQoS.AtLeastOnce, m.QoS));
    }
}
