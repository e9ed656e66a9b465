using System.Text;
using GrainMQ.Protocol;

namespace GrainMQ.Gateway.Tests.Infrastructure;

internal static class TestData
{
    public static TheoryData<MqttProtocolVersion> Versions => new() { MqttProtocolVersion.V311, MqttProtocolVersion.V500 };

    public static TheoryData<MqttProtocolVersion, MqttQoS> VersionsAndQoS
    {
        get
        {
            var data = new TheoryData<MqttProtocolVersion, MqttQoS>();
            foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            {
                foreach (var qos in new[] { MqttQoS.AtMostOnce, MqttQoS.AtLeastOnce, MqttQoS.ExactlyOnce })
                {
                    data.Add(version, qos);
                }
            }

            return data;
        }
    }

    /// <summary>A short name no other test uses (client identifiers, topics).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public static string Text(PublishPacket publish) => Encoding.UTF8.GetString(publish.Payload.Span);
}
