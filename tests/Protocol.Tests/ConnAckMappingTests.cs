using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

public class ConnAckMappingTests
{
    [Theory]
    [InlineData(ReasonCode.Success, ConnectReturnCode.Accepted)]
    [InlineData(ReasonCode.UnsupportedProtocolVersion, ConnectReturnCode.UnacceptableProtocolVersion)]
    [InlineData(ReasonCode.ClientIdentifierNotValid, ConnectReturnCode.IdentifierRejected)]
    [InlineData(ReasonCode.BadUserNameOrPassword, ConnectReturnCode.BadUserNameOrPassword)]
    [InlineData(ReasonCode.NotAuthorized, ConnectReturnCode.NotAuthorized)]
    [InlineData(ReasonCode.Banned, ConnectReturnCode.NotAuthorized)]
    [InlineData(ReasonCode.BadAuthenticationMethod, ConnectReturnCode.NotAuthorized)]
    [InlineData(ReasonCode.ServerUnavailable, ConnectReturnCode.ServerUnavailable)]
    [InlineData(ReasonCode.ServerBusy, ConnectReturnCode.ServerUnavailable)]
    [InlineData(ReasonCode.UnspecifiedError, ConnectReturnCode.ServerUnavailable)]
    [InlineData(ReasonCode.QuotaExceeded, ConnectReturnCode.ServerUnavailable)]
    public void Reason_code_maps_to_the_closest_v3_return_code(ReasonCode reasonCode, ConnectReturnCode returnCode)
    {
        Assert.Equal(returnCode, ConnAckPacket.ToV3ReturnCode(reasonCode));
    }

    [Fact]
    public void Every_v3_return_code_maps_back_to_itself()
    {
        foreach (var returnCode in Enum.GetValues<ConnectReturnCode>())
        {
            Assert.Equal(returnCode, ConnAckPacket.ToV3ReturnCode(ConnAckPacket.FromV3ReturnCode(returnCode)));
        }
    }

    [Fact]
    public void Connack_with_a_v5_reason_code_is_sent_to_a_v3_client_as_its_return_code()
    {
        var bytes = Codec.Encode(new ConnAckPacket(false, ReasonCode.Banned, MqttProperties.Empty), MqttProtocolVersion.V311);

        Assert.Equal(Codec.Bytes("20 02   00   05"), bytes);
    }

    [Fact]
    public void Suback_failure_codes_are_sent_to_a_v3_client_as_0x80()
    {
        var packet = new SubAckPacket(1, [ReasonCode.GrantedQoS1, ReasonCode.NotAuthorized, ReasonCode.TopicFilterInvalid], MqttProperties.Empty);

        Assert.Equal(Codec.Bytes("90 05   00 01   01 80 80"), Codec.Encode(packet, MqttProtocolVersion.V311));
    }

    [Fact]
    public void Session_present_is_not_sent_to_an_mqtt_3_1_client()
    {
        var bytes = Codec.Encode(new ConnAckPacket(true, ReasonCode.Success, MqttProperties.Empty), MqttProtocolVersion.V310);

        Assert.Equal(Codec.Bytes("20 02   00   00"), bytes);
    }
}
