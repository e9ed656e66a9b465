using GrainMQ.LoadGen.Topics;

namespace GrainMQ.LoadGen.Tests;

public class TopicTemplateTests
{
    [Theory]
    [InlineData("bench/%i", 17, "c17", "bench/17")]
    [InlineData("bench/%c/in", 17, "pub_17", "bench/pub_17/in")]
    [InlineData("%i/%c/%i", 3, "x", "3/x/3")]
    [InlineData("load/%%i", 3, "x", "load/%i")]
    [InlineData("fixed/topic", 3, "x", "fixed/topic")]
    [InlineData("odd/%z/%", 3, "x", "odd/%z/%")]
    [InlineData("sensors/+/%i/#", 42, "x", "sensors/+/42/#")]
    public void Placeholders_expand_to_the_clients_sequence_number_and_id(string template, long sequence, string clientId, string expected)
    {
        Assert.Equal(expected, TopicTemplate.Parse(template).Expand(sequence, clientId));
    }

    [Fact]
    public void A_template_without_placeholders_gives_every_client_the_same_topic()
    {
        var template = TopicTemplate.Parse("all/the/same");

        Assert.False(template.VariesPerClient);
        Assert.Same(template.Expand(1, "a"), template.Expand(2, "b"));
    }

    [Fact]
    public void Client_ids_carry_prefix_mode_and_sequence_number()
    {
        var options = new BenchOptions { Mode = BenchMode.Sub, ClientIdPrefix = "lg" };

        Assert.Equal("lg_sub_12", options.ClientIdFor(12));
    }
}
