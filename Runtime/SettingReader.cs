using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GrainMQ.Runtime;

/// <summary>
/// Reads one setting of a configuration section strictly: an absent key keeps its default, a value that cannot be
/// parsed or is out of range throws <see cref="InvalidOperationException"/> naming the key — a mistyped limit should
/// stop the process at start, not be silently ignored.
/// </summary>
internal static class SettingReader
{
    public delegate bool TryParse<T>(string text, out T value);

    public static T Read<T>(IConfiguration configuration, string section, string key, T defaultValue, TryParse<T> parse)
    {
        var text = configuration[section + ":" + key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (!parse(text.Trim(), out var value))
        {
            throw new InvalidOperationException($"{section}:{key}: cannot read \"{text}\".");
        }

        return value;
    }

    public static void Require(bool condition, string section, string key, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{section}:{key} {message}.");
        }
    }

    public static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryParseLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInterval(string text, out TimeSpan value) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
}
