using System.Collections;
using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

public class PropertyCoverageTests
{
    [Fact]
    public void Round_trip_samples_set_every_mqtt_5_property_at_least_once()
    {
        var propertyLists = SamplePackets.All.Values
            .Where(sample => sample.Version == MqttProtocolVersion.V500)
            .SelectMany(sample => sample.Packet switch
            {
                ConnectPacket { Will: { } will } connect => [connect.Properties, will.Properties],
                PingReqPacket or PingRespPacket => [],
                _ => new[] { (MqttProperties)sample.Packet.GetType().GetProperty("Properties")!.GetValue(sample.Packet)! },
            })
            .ToList();

        var unset = typeof(MqttProperties).GetProperties()
            .Where(property => property.SetMethod is not null)
            .Where(property => !propertyLists.Any(list => IsSet(property.GetValue(list))))
            .Select(property => property.Name);

        Assert.Empty(unset);
        Assert.Equal(27, typeof(MqttProperties).GetProperties().Count(property => property.SetMethod is not null));
    }

    private static bool IsSet(object? value) => value switch
    {
        null => false,
        ICollection collection => collection.Count > 0,
        _ => true,
    };
}
