namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>A broker whose session grains are collected after 300 ms without messages.</summary>
public sealed class HibernationBrokerFixture : BrokerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Session:IdleTimeout"] = "00:00:00.300";
        settings["Runtime:CollectionInterval"] = "00:00:00.100";
    }
}
