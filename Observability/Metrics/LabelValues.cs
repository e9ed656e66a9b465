using System.Text;

namespace GrainMQ.Observability.Metrics;

/// <summary>Enum members as label values: <c>QueueFull</c> → <c>queue_full</c>, computed once per enum.</summary>
internal static class LabelValues
{
    public static string[] Of<TEnum>()
        where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var labels = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            labels[i] = SnakeCase(values[i].ToString());
        }

        return labels;
    }

    /// <summary>Lower-case member names: <c>WebSocket</c> → <c>websocket</c>, <c>PubAck</c> → <c>puback</c> (MQTT's own spelling).</summary>
    public static string[] LowerOf<TEnum>()
        where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var labels = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            labels[i] = values[i].ToString().ToLowerInvariant();
        }

        return labels;
    }

    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && (char.IsAsciiLetterLower(name[i - 1]) || (i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]) && char.IsAsciiLetterUpper(name[i - 1]))))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
