using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Retained;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class RetainedIndexTests : IDisposable
{
    private readonly RetainedIndex _index = new();

    public RetainedIndexTests()
    {
        foreach (var topic in new[] { "sport", "sport/tennis", "sport/tennis/player1", "sport/golf", "news", "$SYS/broker/uptime", "a//b" })
        {
            _index.Set(new BrokerMessage(topic, Encoding.UTF8.GetBytes(topic), MqttQoS.AtMostOnce, true, null, null));
        }
    }

    public void Dispose() => _index.Dispose();

    [Theory]
    [InlineData("sport", "sport")]
    [InlineData("sport/#", "sport,sport/golf,sport/tennis,sport/tennis/player1")]
    [InlineData("sport/+", "sport/golf,sport/tennis")]
    [InlineData("+/tennis/+", "sport/tennis/player1")]
    [InlineData("#", "a//b,news,sport,sport/golf,sport/tennis,sport/tennis/player1")]
    [InlineData("+", "news,sport")]
    [InlineData("$SYS/#", "$SYS/broker/uptime")]
    [InlineData("a/+/b", "a//b")]
    [InlineData("nothing/#", "")]
    public void Wildcard_filter_finds_the_retained_messages_of_matching_topics(string filter, string expected)
    {
        var found = new List<BrokerMessage>();
        _index.Find(filter, found);

        Assert.Equal(expected, string.Join(',', found.Select(m => m.Topic).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Removed_topic_is_no_longer_found_and_its_siblings_are()
    {
        _index.Remove("sport/tennis");
        _index.Remove("sport/tennis/player1");

        var found = new List<BrokerMessage>();
        _index.Find("sport/#", found);

        Assert.Equal("sport,sport/golf", string.Join(',', found.Select(m => m.Topic).Order(StringComparer.Ordinal)));
        Assert.Equal(5, _index.Count);
    }
}
