namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>A broker that publishes its $SYS statistics every 200 ms (the other test brokers keep them off).</summary>
public sealed class SysBrokerFixture : BrokerFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Sys:Enabled"] = "true";
        settings["Sys:Interval"] = "00:00:00.200";
    }
}
