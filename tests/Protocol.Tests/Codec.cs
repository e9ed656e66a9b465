using System.Buffers;
using GrainMQ.Protocol;

namespace GrainMQ.Protocol.Tests;

/// <summary>Encode and decode helpers shared by the codec tests.</summary>
internal static class Codec
{
    public const int NoLimit = int.MaxValue;

    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttEncoder.Write(packet, version, output);
        return output.WrittenSpan.ToArray();
    }

    public static DecodeResult Decode(byte[] bytes, MqttProtocolVersion version, int maxPacketSize = NoLimit) =>
        MqttDecoder.Decode(new ReadOnlySequence<byte>(bytes), version, maxPacketSize);

    public static MqttPacket DecodePacket(byte[] bytes, MqttProtocolVersion version)
    {
        var result = Decode(bytes, version);
        Assert.True(result.Status == DecodeStatus.Packet, $"expected a packet, got {result.Status}: {result.Error?.Message}");
        Assert.Equal(bytes.Length, result.Consumed);
        return result.Packet!;
    }

    public static DecodeError DecodeError(byte[] bytes, MqttProtocolVersion version, int maxPacketSize = NoLimit)
    {
        var result = Decode(bytes, version, maxPacketSize);
        Assert.True(result.Status == DecodeStatus.Error, $"expected an error, got {result.Status} {result.Packet}");
        return result.Error!;
    }

    /// <summary>
    /// Parses annotated bytes such as "32 09  00 03 'a/b'  00 0A  // topic a/b, id 10": pairs of hex digits,
    /// quoted text as its UTF-8 bytes, and comments from "//" to the end of the line.
    /// </summary>
    public static byte[] Bytes(string annotated)
    {
        var bytes = new List<byte>();
        var i = 0;
        while (i < annotated.Length)
        {
            var c = annotated[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/')
            {
                var end = annotated.IndexOf('\n', i);
                i = end < 0 ? annotated.Length : end;
            }
            else if (c == '\'')
            {
                var end = annotated.IndexOf('\'', i + 1);
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(annotated[(i + 1)..end]));
                i = end + 1;
            }
            else
            {
                bytes.Add(Convert.ToByte(annotated.Substring(i, 2), 16));
                i += 2;
            }
        }

        return [.. bytes];
    }
}
