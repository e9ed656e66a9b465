using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

public class TopicValidationTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("a/b/c", true)]
    [InlineData("/", true)]
    [InlineData("a//b", true)]
    [InlineData(" ", true)]
    [InlineData("$SYS/broker/uptime", true)]
    [InlineData("ü/✓/日本", true)]
    [InlineData("", false)]
    [InlineData("a/+", false)]
    [InlineData("+", false)]
    [InlineData("a/#", false)]
    [InlineData("a+b", false)]
    [InlineData("a\0b", false)]
    public void Topic_name_validity(string topic, bool valid)
    {
        Assert.Equal(valid, TopicValidation.IsValidTopicName(topic));
    }

    [Fact]
    public void Topic_name_of_65535_utf8_bytes_is_valid_and_one_more_is_not()
    {
        Assert.True(TopicValidation.IsValidTopicName(new string('a', 65535)));
        Assert.False(TopicValidation.IsValidTopicName(new string('a', 65536)));
        Assert.False(TopicValidation.IsValidTopicName(new string('ü', 32768)));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("a/#", true)]
    [InlineData("a/+/b", true)]
    [InlineData("+/+", true)]
    [InlineData("/+", true)]
    [InlineData("+/", true)]
    [InlineData("a//#", true)]
    [InlineData("$SYS/#", true)]
    [InlineData("$share", true)]
    [InlineData("$shared/a", true)]
    [InlineData("$share/group/a/b", true)]
    [InlineData("$share/group/#", true)]
    [InlineData("$share/group/+/b", true)]
    [InlineData("$share/group//", true)]
    [InlineData("", false)]
    [InlineData("a/#/b", false)]
    [InlineData("#/a", false)]
    [InlineData("a#", false)]
    [InlineData("a/b#", false)]
    [InlineData("a+", false)]
    [InlineData("a/+b", false)]
    [InlineData("++", false)]
    [InlineData("a\0", false)]
    [InlineData("$share/", false)]
    [InlineData("$share/group", false)]
    [InlineData("$share/group/", false)]
    [InlineData("$share//a", false)]
    [InlineData("$share/gr+oup/a", false)]
    [InlineData("$share/gr#oup/a", false)]
    [InlineData("$share/group/a/#/b", false)]
    public void Topic_filter_validity(string filter, bool valid)
    {
        Assert.Equal(valid, TopicValidation.IsValidTopicFilter(filter));
    }

    [Theory]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("#", "/", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("+", "finance", true)]
    [InlineData("+/#", "a", true)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/bc", false)]
    [InlineData("a/bc", "a/b", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/#", "a/bc", false)]
    [InlineData("A/b", "a/b", false)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker/uptime", true)]
    [InlineData("$SYS/+/uptime", "$SYS/broker/uptime", true)]
    [InlineData("$SYS", "$SYS", true)]
    [InlineData("a/#", "$a/b", false)]
    [InlineData("$share/group/sport/#", "sport/tennis", true)]
    [InlineData("$share/group/+", "$SYS", false)]
    [InlineData("$share/group/a", "b", false)]
    [InlineData("$share/", "$share/", false)]
    public void Filter_matches_topic(string filter, string topic, bool matches)
    {
        Assert.Equal(matches, TopicValidation.Matches(filter, topic));
    }

    [Theory]
    [InlineData("$share/group/a/b", "group", "a/b")]
    [InlineData("$share/g/#", "g", "#")]
    [InlineData("$share/group//", "group", "/")]
    public void Shared_subscription_splits_into_group_and_filter(string filter, string group, string innerFilter)
    {
        Assert.True(TopicValidation.TryParseShared(filter, out var parsedGroup, out var parsedFilter));
        Assert.Equal(group, parsedGroup);
        Assert.Equal(innerFilter, parsedFilter);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("$share")]
    [InlineData("$shared/g/a")]
    [InlineData("$share/")]
    [InlineData("$share/group")]
    [InlineData("$share/group/")]
    [InlineData("$share//a")]
    [InlineData("$share/g+/a")]
    public void Filter_that_is_not_a_well_formed_shared_subscription_does_not_parse(string filter)
    {
        Assert.False(TopicValidation.TryParseShared(filter, out var group, out var innerFilter));
        Assert.Equal(string.Empty, group);
        Assert.Equal(string.Empty, innerFilter);
    }
}
