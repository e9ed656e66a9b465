using System.Net;
using GrainMQ.LoadGen.Client;

namespace GrainMQ.LoadGen.Tests;

public class SourceAddressesTests
{
    [Fact]
    public void A_loopback_broker_gets_clients_spread_over_127_0_0_2_to_127_0_0_254_by_default()
    {
        var sources = SourceAddresses.Resolve([], IPAddress.Loopback);

        Assert.Equal(253, sources.Count);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), sources[0]);
        Assert.Equal(IPAddress.Parse("127.0.0.254"), sources[^1]);
    }

    [Fact]
    public void A_broker_elsewhere_gets_no_source_binding_unless_asked()
    {
        Assert.Empty(SourceAddresses.Resolve([], IPAddress.Parse("192.0.2.10")));
        Assert.Empty(SourceAddresses.Resolve([], IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Given_addresses_and_ranges_are_used_in_order()
    {
        var sources = SourceAddresses.Resolve(["10.0.0.7,10.0.0.9-10.0.0.11", "::1"], IPAddress.Loopback);

        Assert.Equal(["10.0.0.7", "10.0.0.9", "10.0.0.10", "10.0.0.11", "::1"], sources.Select(address => address.ToString()));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.9-10.0.0.1")]
    [InlineData("::1-::5")]
    public void Malformed_addresses_are_refused(string given)
    {
        Assert.Throws<FormatException>(() => SourceAddresses.Parse([given]));
    }
}
