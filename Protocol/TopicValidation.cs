using System.Text;

namespace GrainMQ.Protocol;

/// <summary>Topic names, topic filters (shared subscriptions included) and how they match.</summary>
public static class TopicValidation
{
    private const string SharePrefix = "$share/";
    private const char LevelSeparator = '/';
    private const char SingleLevelWildcard = '+';
    private const char MultiLevelWildcard = '#';

    /// <summary>Longest string for which 65,535 UTF-8 bytes cannot be exceeded (3 bytes per UTF-16 char at most).</summary>
    private const int SafeLength = Utf8Field.MaxByteCount / 3;

    /// <summary>Non-empty, no wildcard, no U+0000, at most 65,535 UTF-8 bytes.</summary>
    public static bool IsValidTopicName(string topic) =>
        !string.IsNullOrEmpty(topic)
        && topic.AsSpan().IndexOfAny(SingleLevelWildcard, MultiLevelWildcard, '\0') < 0
        && FitsInField(topic);

    /// <summary>
    /// Non-empty, no U+0000, at most 65,535 UTF-8 bytes; '#' only as the whole last level, '+' only as a
    /// whole level. "$share/{group}/{filter}" needs a group without '+', '#' or '/' and a valid non-empty filter.
    /// </summary>
    public static bool IsValidTopicFilter(string filter)
    {
        if (string.IsNullOrEmpty(filter) || filter.Contains('\0', StringComparison.Ordinal) || !FitsInField(filter))
        {
            return false;
        }

        if (!filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return HasValidWildcards(filter);
        }

        return TryParseShared(filter, out _, out var innerFilter) && HasValidWildcards(innerFilter);
    }

    /// <summary>
    /// Whether <paramref name="topic"/> matches <paramref name="filter"/>: '+' matches one level (an empty one
    /// too), '#' the parent level and everything below it. Topics starting with '$' are not matched by a
    /// filter starting with a wildcard. A shared subscription matches by its inner filter.
    /// </summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);
        if (filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            if (!TryParseShared(filter, out _, out var innerFilter))
            {
                return false;
            }

            filter = innerFilter;
        }

        if (filter.Length == 0 || topic.Length == 0)
        {
            return false;
        }

        if (topic[0] == '$' && filter[0] is SingleLevelWildcard or MultiLevelWildcard)
        {
            return false;
        }

        return MatchLevels(filter, topic);
    }

    /// <summary>
    /// Splits "$share/{group}/{filter}" into its group and filter; false (with empty outputs) when
    /// <paramref name="filter"/> is not a well-formed shared subscription.
    /// </summary>
    public static bool TryParseShared(string filter, out string group, out string innerFilter)
    {
        group = string.Empty;
        innerFilter = string.Empty;
        if (filter is null || !filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = filter.IndexOf(LevelSeparator, SharePrefix.Length);
        if (separator <= SharePrefix.Length || separator == filter.Length - 1)
        {
            return false;
        }

        var groupSpan = filter.AsSpan(SharePrefix.Length, separator - SharePrefix.Length);
        if (groupSpan.IndexOfAny(SingleLevelWildcard, MultiLevelWildcard) >= 0)
        {
            return false;
        }

        group = groupSpan.ToString();
        innerFilter = filter[(separator + 1)..];
        return true;
    }

    private static bool FitsInField(string value) => value.Length <= SafeLength || Encoding.UTF8.GetByteCount(value) <= Utf8Field.MaxByteCount;

    private static bool HasValidWildcards(ReadOnlySpan<char> filter)
    {
        var last = filter.Length - 1;
        for (var i = filter.IndexOfAny(SingleLevelWildcard, MultiLevelWildcard); i >= 0 && i <= last; i++)
        {
            var c = filter[i];
            if (c is not (SingleLevelWildcard or MultiLevelWildcard))
            {
                continue;
            }

            var startsLevel = i == 0 || filter[i - 1] == LevelSeparator;
            var endsLevel = i == last || filter[i + 1] == LevelSeparator;
            if (!startsLevel || !endsLevel || (c == MultiLevelWildcard && i != last))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchLevels(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        var f = 0;
        var t = 0;
        while (f < filter.Length)
        {
            var c = filter[f];
            if (c == MultiLevelWildcard)
            {
                return true;
            }

            if (c == SingleLevelWildcard)
            {
                var levelEnd = topic[t..].IndexOf(LevelSeparator);
                t = levelEnd < 0 ? topic.Length : t + levelEnd;
                f++;
                continue;
            }

            if (t == topic.Length)
            {
                return filter[f..] is "/#";
            }

            if (topic[t] != c)
            {
                return false;
            }

            f++;
            t++;
        }

        return t == topic.Length;
    }
}
