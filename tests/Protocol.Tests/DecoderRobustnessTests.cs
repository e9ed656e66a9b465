using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

/// <summary>Damaged input is an ordinary outcome: the decoder returns a status for it, never throws.</summary>
public class DecoderRobustnessTests
{
    private static readonly MqttProtocolVersion[] Versions = [MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    [Theory]
    [MemberData(nameof(SamplePackets.Names), MemberType = typeof(SamplePackets))]
    public void Packet_with_any_single_byte_damaged_decodes_without_throwing(string sample)
    {
        var (version, packet) = SamplePackets.All[sample];
        var bytes = Codec.Encode(packet, version);

        for (var offset = 0; offset < bytes.Length; offset++)
        {
            foreach (var damage in new Func<byte, byte>[] { _ => 0x00, _ => 0xFF, b => (byte)(b ^ 0x80), b => (byte)(b + 1), b => (byte)(b - 1) })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[offset] = damage(bytes[offset]);
                foreach (var decodeAs in Versions)
                {
                    AssertWellBehaved(damaged, decodeAs);
                }
            }
        }
    }

    [Fact]
    public void Random_bytes_decode_without_throwing()
    {
        var random = new Random(20240601);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 1)
            {
                bytes[1] = (byte)Math.Min(bytes[1] & 0x7F, bytes.Length - 2);
            }

            AssertWellBehaved(bytes, Versions[i % Versions.Length]);
        }
    }

    private static void AssertWellBehaved(byte[] bytes, MqttProtocolVersion version)
    {
        var result = Codec.Decode(bytes, version);
        switch (result.Status)
        {
            case DecodeStatus.Packet:
                Assert.NotNull(result.Packet);
                Assert.InRange(result.Consumed, 2, bytes.Length);
                break;
            case DecodeStatus.NeedMoreData:
                Assert.True(result.BytesNeeded > 0);
                break;
            default:
                Assert.NotNull(result.Error);
                Assert.StartsWith(result.Error.ReasonCode == ReasonCode.MalformedPacket ? "malformed: " : string.Empty, result.Error.Message);
                Assert.InRange(result.Consumed, 0, bytes.Length);
                break;
        }
    }
}
