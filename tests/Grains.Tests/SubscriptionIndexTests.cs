using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Routing;
using GrainMQ.Protocol;

namespace GrainMQ.Grains.Tests;

public sealed class SubscriptionIndexTests : IDisposable
{
    private readonly ConnectedClients _connected = new();
    private readonly SubscriptionIndex _index;

    public SubscriptionIndexTests()
    {
        _index = new SubscriptionIndex(_connected);
    }

    public void Dispose() => _index.Dispose();

    [Theory]
    [InlineData("sport/tennis/player1", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1", "sport/tennis/player2", false)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("sport/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/#", "sport/tennis", true)]
    [InlineData("sport/tennis/#", "sport/football", false)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("#", "/", true)]
    [InlineData("sport/+", "sport/tennis", true)]
    [InlineData("sport/+", "sport/tennis/player1", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+/tennis/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/+/player1", "sport/tennis/player1", true)]
    [InlineData("#", "$SYS/broker/uptime", false)]
    [InlineData("+/broker/uptime", "$SYS/broker/uptime", false)]
    [InlineData("$SYS/#", "$SYS/broker/uptime", true)]
    [InlineData("$SYS/+/uptime", "$SYS/broker/uptime", true)]
    [InlineData("a/$b/#", "a/$b/c", true)]
    [InlineData("+/$b", "a/$b", true)]
    [InlineData("a//b", "a//b", true)]
    [InlineData("a/+/b", "a//b", true)]
    public void Filter_matches_topic_as_the_specification_says(string filter, string topic, bool matches)
    {
        _index.Add(filter, "c1", Options(MqttQoS.AtMostOnce));

        Assert.Equal(matches ? ["c1"] : [], ClientsFor(topic));
    }

    [Fact]
    public void Index_agrees_with_the_protocols_matching_rule_for_every_filter_and_topic_pair()
    {
        string[] filters = ["#", "+", "+/+", "/+", "a", "a/#", "a/+", "a/+/c", "+/b/#", "a//c", "$SYS/#", "$SYS/+", "+/$x", "a/b/c/#"];
        string[] topics = ["a", "a/b", "a/b/c", "a//c", "/a", "a/", "/", "$SYS/load", "$SYS", "x/$x", "a/b/c/d", "b"];
        for (var i = 0; i < filters.Length; i++)
        {
            _index.Add(filters[i], "c" + i, Options(MqttQoS.AtMostOnce));
        }

        foreach (var topic in topics)
        {
            var expected = filters.Where(f => TopicValidation.Matches(f, topic)).Select(f => "c" + Array.IndexOf(filters, f)).Order();
            Assert.Equal(expected, ClientsFor(topic).Order());
        }
    }

    [Theory]
    [InlineData("$share/g/sport/#", "sport/tennis", true)]
    [InlineData("$share/g/sport/+", "sport/tennis", true)]
    [InlineData("$share/g/sport/+", "news/today", false)]
    [InlineData("$share/g/#", "$SYS/broker/uptime", false)]
    public void Shared_filter_matches_on_its_inner_filter(string filter, string topic, bool matches)
    {
        _index.Add(filter, "c1", Options(MqttQoS.AtMostOnce));

        Assert.Equal(matches ? ["c1"] : [], ClientsFor(topic));
    }

    [Fact]
    public void Overlapping_filters_of_one_client_give_one_delivery_with_the_highest_qos_and_every_identifier()
    {
        _index.Add("a/b", "c1", Options(MqttQoS.AtMostOnce, subscriptionId: 1));
        _index.Add("a/+", "c1", Options(MqttQoS.ExactlyOnce, subscriptionId: 2));
        _index.Add("#", "c1", Options(MqttQoS.AtLeastOnce));
        _index.Add("a/#", "c2", Options(MqttQoS.AtLeastOnce, subscriptionId: 7));

        var matches = Match("a/b");

        Assert.Equal(2, matches.Count);
        var c1 = Assert.Single(matches, m => m.ClientId == "c1");
        Assert.Equal(MqttQoS.ExactlyOnce, c1.QoS);
        Assert.Equal([1u, 2u], c1.SubscriptionIdentifiers.Order());
        var c2 = Assert.Single(matches, m => m.ClientId == "c2");
        Assert.Equal([7u], c2.SubscriptionIdentifiers);
    }

    [Fact]
    public void No_local_subscription_skips_only_the_publishers_own_messages()
    {
        _index.Add("chat", "alice", Options(MqttQoS.AtMostOnce, noLocal: true));
        _index.Add("chat", "bob", Options(MqttQoS.AtMostOnce, noLocal: true));

        Assert.Equal(["bob"], ClientsFor("chat", publisher: "alice"));
        Assert.Equal(["alice", "bob"], ClientsFor("chat", publisher: null).Order());
    }

    [Fact]
    public void No_local_on_one_filter_does_not_hide_another_matching_filter_of_the_same_client()
    {
        _index.Add("chat/room", "alice", Options(MqttQoS.AtMostOnce, noLocal: true));
        _index.Add("chat/#", "alice", Options(MqttQoS.AtLeastOnce));

        var match = Assert.Single(Match("chat/room", publisher: "alice"));
        Assert.Equal(MqttQoS.AtLeastOnce, match.QoS);
    }

    [Fact]
    public void Shared_group_gives_each_message_to_one_member_in_turn()
    {
        _index.Add("$share/g/jobs/#", "w1", Options(MqttQoS.AtLeastOnce));
        _index.Add("$share/g/jobs/#", "w2", Options(MqttQoS.AtLeastOnce));

        var receivers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            receivers.Add(Assert.Single(Match("jobs/1")).ClientId);
        }

        Assert.Equal(2, receivers.Count(r => r == "w1"));
        Assert.Equal(2, receivers.Count(r => r == "w2"));
        Assert.NotEqual(receivers[0], receivers[1]);
    }

    [Fact]
    public void Shared_group_prefers_connected_members()
    {
        _index.Add("$share/g/jobs", "offline", Options(MqttQoS.AtLeastOnce));
        _index.Add("$share/g/jobs", "online", Options(MqttQoS.AtLeastOnce));
        _connected.Attach("online");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("online", Assert.Single(Match("jobs")).ClientId);
        }
    }

    [Fact]
    public void Every_shared_group_and_every_plain_subscriber_gets_the_message()
    {
        _index.Add("$share/g1/jobs", "a", Options(MqttQoS.AtMostOnce));
        _index.Add("$share/g2/jobs", "b", Options(MqttQoS.AtMostOnce));
        _index.Add("jobs", "a", Options(MqttQoS.AtMostOnce));

        Assert.Equal(["a", "a", "b"], ClientsFor("jobs").Order());
    }

    [Fact]
    public void Removed_subscription_no_longer_matches_and_other_subscribers_stay()
    {
        _index.Add("a/+/c", "c1", Options(MqttQoS.AtMostOnce));
        _index.Add("a/+/c", "c2", Options(MqttQoS.AtMostOnce));
        _index.Add("$share/g/a/+/c", "c3", Options(MqttQoS.AtMostOnce));

        Assert.True(_index.Remove("a/+/c", "c1"));
        Assert.True(_index.Remove("$share/g/a/+/c", "c3"));
        Assert.False(_index.Remove("a/+/c", "c1"));
        Assert.False(_index.Remove("x/y", "c1"));

        Assert.Equal(["c2"], ClientsFor("a/b/c"));
    }

    [Fact]
    public void Adding_a_subscription_again_replaces_its_options()
    {
        _index.Add("a", "c1", Options(MqttQoS.AtMostOnce));
        _index.Add("a", "c1", Options(MqttQoS.ExactlyOnce));

        Assert.Equal(MqttQoS.ExactlyOnce, Assert.Single(Match("a")).QoS);
    }

    private static SubscriptionOptions Options(MqttQoS qos, bool noLocal = false, uint subscriptionId = 0) =>
        new(qos, noLocal, false, RetainHandling.SendAtSubscribe, subscriptionId);

    private List<SubscriberMatch> Match(string topic, string? publisher = null)
    {
        var results = new List<SubscriberMatch>();
        _index.Match(topic, publisher, results);
        return results;
    }

    private List<string> ClientsFor(string topic, string? publisher = null) =>
        Match(topic, publisher).Select(m => m.ClientId).ToList();
}
