using GrainMQ.Grains.Tests.Infrastructure;

namespace GrainMQ.Grains.Tests;

public sealed class SysTopicTests
{
    [Fact]
    public async Task Broker_statistics_are_published_as_retained_sys_topics_that_hash_does_not_match()
    {
        await using var broker = await TestBroker.StartAsync(("Sys:Enabled", "true"), ("Sys:Interval", "00:00:00.1"));
        var client = broker.CreateClient("observer");
        await client.ConnectAsync();

        await client.SubscribeAsync("$SYS/broker/#");

        var latest = new Dictionary<string, string>();
        while (latest.Count < 5 || latest.GetValueOrDefault("$SYS/broker/clients/connected") != "1")
        {
            var publish = await client.ExpectPublishAsync();
            latest[publish.Topic] = publish.Text();
        }

        Assert.Equal(
            ["$SYS/broker/clients/connected", "$SYS/broker/messages/received", "$SYS/broker/messages/sent", "$SYS/broker/uptime", "$SYS/broker/version"],
            latest.Keys.Order(StringComparer.Ordinal));
        Assert.EndsWith(" seconds", latest["$SYS/broker/uptime"], StringComparison.Ordinal);
        Assert.StartsWith("GrainMQ ", latest["$SYS/broker/version"], StringComparison.Ordinal);

        var everything = broker.CreateClient("everything");
        await everything.ConnectAsync();
        await everything.SubscribeAsync("#");
        await everything.ExpectNothingMoreAsync();
    }
}
