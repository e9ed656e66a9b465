using System.Globalization;
using GrainMQ.Protocol;

namespace GrainMQ.Silo.Tests.Infrastructure;

/// <summary>One message as mosquitto_sub printed it (see <see cref="Format"/>); absent v5 properties are null.</summary>
public sealed record ReceivedMessage(
    string Topic,
    MqttQoS QoS,
    bool Retain,
    string? ContentType,
    string? ResponseTopic,
    string? CorrelationData,
    uint? MessageExpiryInterval,
    IReadOnlyList<KeyValuePair<string, string>> UserProperties,
    string Payload)
{
    /// <summary>What starts a message line, so that it cannot be confused with mosquitto_sub's debug output.</summary>
    public const string Prefix = "MESSAGE\t";

    /// <summary>
    /// The <c>mosquitto_sub -F</c> format: topic, QoS, retain flag, content type, response topic, correlation data,
    /// message expiry interval, user properties (<c>k:v</c> separated by spaces), payload; tab separated.
    /// </summary>
    public const string Format = Prefix + "%t\t%q\t%r\t%C\t%R\t%D\t%E\t%P\t%p";

    private const int FieldCount = 9;

    /// <summary>Parses a line printed with <see cref="Format"/>; null for any other line.</summary>
    public static ReceivedMessage? TryParse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = line[Prefix.Length..].Split('\t', FieldCount);
        if (fields.Length != FieldCount)
        {
            throw new FormatException($"A message line with {fields.Length} fields instead of {FieldCount}: {line}");
        }

        return new ReceivedMessage(
            Topic: fields[0],
            QoS: (MqttQoS)byte.Parse(fields[1], CultureInfo.InvariantCulture),
            Retain: fields[2] == "1",
            ContentType: NullIfEmpty(fields[3]),
            ResponseTopic: NullIfEmpty(fields[4]),
            CorrelationData: NullIfEmpty(fields[5]),
            MessageExpiryInterval: fields[6].Length == 0 ? null : uint.Parse(fields[6], CultureInfo.InvariantCulture),
            UserProperties: ParseUserProperties(fields[7]),
            Payload: fields[8]);
    }

    private static string? NullIfEmpty(string field) => field.Length == 0 ? null : field;

    private static List<KeyValuePair<string, string>> ParseUserProperties(string field)
    {
        var properties = new List<KeyValuePair<string, string>>();
        foreach (var pair in field.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            properties.Add(colon < 0 ? new(pair, "") : new(pair[..colon], pair[(colon + 1)..]));
        }

        return properties;
    }
}
