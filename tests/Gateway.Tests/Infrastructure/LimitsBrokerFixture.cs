namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>A broker with small limits, so tests reach them quickly.</summary>
public sealed class LimitsBrokerFixture : BrokerFixture
{
    public const int ConnectTimeoutMs = 2000;
    public const int MaxKeepAlive = 60;
    public const int ReceiveMaximum = 4;
    public const int MaxPacketSize = 4096;
    public const int TopicAliasMaximum = 4;
    public const int MaxClientIdLength = 32;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Mqtt:ConnectTimeout"] = TimeSpan.FromMilliseconds(ConnectTimeoutMs).ToString();
        settings["Mqtt:MaxKeepAlive"] = MaxKeepAlive.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mqtt:ReceiveMaximum"] = ReceiveMaximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mqtt:MaxPacketSize"] = MaxPacketSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mqtt:TopicAliasMaximum"] = TopicAliasMaximum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mqtt:MaxClientIdLength"] = MaxClientIdLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
