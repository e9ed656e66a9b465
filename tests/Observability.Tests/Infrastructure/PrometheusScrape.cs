using System.Globalization;
using System.Text;

namespace GrainMQ.Observability.Tests.Infrastructure;

/// <summary>One series of a scrape.</summary>
public sealed record ScrapedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4 (promtool is not available): it fails the test on
/// any line that is not a valid comment, HELP, TYPE or sample line, on a TYPE after the family's samples or given
/// twice, on a family whose lines are not one group, on a duplicate series, on a counter that is negative, and on a
/// histogram whose buckets are not cumulative, lack <c>le="+Inf"</c> or disagree with <c>_count</c>.
/// </summary>
public sealed class PrometheusScrape
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private readonly List<ScrapedSample> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);

    private PrometheusScrape()
    {
    }

    public IReadOnlyList<ScrapedSample> Samples => _samples;

    public IReadOnlyDictionary<string, string> TypesByFamily => _types;

    public IReadOnlyDictionary<string, string> HelpByFamily => _help;

    public static PrometheusScrape Parse(string text)
    {
        var scrape = new PrometheusScrape();
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the exposition must end with a line feed");
        var finishedFamilies = new HashSet<string>(StringComparer.Ordinal);
        var seriesKeys = new HashSet<string>(StringComparer.Ordinal);
        string? currentFamily = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var where = $"line {lineNumber}: {line}";
            if (line.StartsWith('#'))
            {
                var family = scrape.ParseComment(line, where);
                if (family is not null)
                {
                    Assert.False(finishedFamilies.Contains(family), $"{where}: the family's lines are not one group");
                    Assert.False(scrape._samples.Exists(s => scrape.FamilyOf(s.Name) == family), $"{where}: HELP/TYPE after the family's samples");
                    Switch(ref currentFamily, family, finishedFamilies, where);
                }

                continue;
            }

            var sample = ParseSample(line, where);
            var familyName = scrape.FamilyOf(sample.Name);
            Switch(ref currentFamily, familyName, finishedFamilies, where);
            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            Assert.True(seriesKeys.Add(key), $"{where}: duplicate series {key}");
            if (scrape._types.GetValueOrDefault(familyName) == "counter")
            {
                Assert.True(sample.Value >= 0, $"{where}: a counter is negative or NaN");
            }

            scrape._samples.Add(sample);
        }

        scrape.CheckHistograms();
        return scrape;
    }

    /// <summary>The sum of the series named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        double total = 0;
        foreach (var sample in Select(name, labels))
        {
            total += sample.Value;
        }

        return total;
    }

    /// <summary>The series named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public List<ScrapedSample> Select(string name, params (string Key, string Value)[] labels) =>
        _samples.FindAll(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    private static void Switch(ref string? current, string family, HashSet<string> finished, string where)
    {
        if (current == family)
        {
            return;
        }

        Assert.False(finished.Contains(family), $"{where}: the family {family} appears in two groups");
        if (current is not null)
        {
            finished.Add(current);
        }

        current = family;
    }

    // The family a sample belongs to: histogram and summary series carry suffixes.
    private string FamilyOf(string sampleName)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal))
            {
                var family = sampleName[..^suffix.Length];
                if (_types.TryGetValue(family, out var type) && type is "histogram" or "summary")
                {
                    return family;
                }
            }
        }

        return sampleName;
    }

    private string? ParseComment(string line, string where)
    {
        var isHelp = line.StartsWith("# HELP ", StringComparison.Ordinal);
        var isType = line.StartsWith("# TYPE ", StringComparison.Ordinal);
        if (!isHelp && !isType)
        {
            return null;
        }

        var rest = line[7..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        Assert.True(space > 0, $"{where}: HELP/TYPE without a metric name and text");
        var name = rest[..space];
        var value = rest[(space + 1)..];
        Assert.True(IsMetricName(name), $"{where}: invalid metric name '{name}'");
        if (isType)
        {
            Assert.Contains(value, Types);
            Assert.True(_types.TryAdd(name, value), $"{where}: second TYPE for {name}");
        }
        else
        {
            CheckEscapes(value, allowQuote: false, where);
            Assert.True(_help.TryAdd(name, value), $"{where}: second HELP for {name}");
        }

        return name;
    }

    private static ScrapedSample ParseSample(string line, string where)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        Assert.True(IsMetricName(name), $"{where}: invalid metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                Assert.True(equals > i, $"{where}: label without '='");
                var labelName = line[i..equals];
                Assert.True(IsLabelName(labelName), $"{where}: invalid label name '{labelName}'");
                Assert.True(line[equals + 1] == '"', $"{where}: label value not quoted");
                var value = new StringBuilder();
                var j = equals + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new Xunit.Sdk.XunitException($"{where}: invalid escape \\{line[j]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                Assert.True(labels.TryAdd(labelName, value.ToString()), $"{where}: label {labelName} twice");
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
                else
                {
                    Assert.True(line[i] == '}', $"{where}: expected ',' or '}}' after a label");
                }
            }

            i++;
        }

        Assert.True(i < line.Length && line[i] == ' ', $"{where}: no space before the value");
        var fields = line[(i + 1)..].Split(' ');
        Assert.True(fields.Length is 1 or 2, $"{where}: expected a value and an optional timestamp");
        if (fields.Length == 2)
        {
            Assert.True(long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), $"{where}: invalid timestamp");
        }

        return new ScrapedSample(name, labels, ParseValue(fields[0], where));
    }

    private void CheckHistograms()
    {
        foreach (var (family, type) in _types)
        {
            if (type != "histogram")
            {
                continue;
            }

            var buckets = _samples.FindAll(s => s.Name == family + "_bucket");
            foreach (var series in buckets.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))))
            {
                var ordered = series.Select(s => (Le: ParseValue(s.Labels["le"], family + " le"), s.Value)).ToList();
                for (var k = 1; k < ordered.Count; k++)
                {
                    Assert.True(ordered[k].Le > ordered[k - 1].Le, $"{family}{{{series.Key}}}: buckets out of order");
                    Assert.True(ordered[k].Value >= ordered[k - 1].Value, $"{family}{{{series.Key}}}: buckets not cumulative");
                }

                Assert.True(double.IsPositiveInfinity(ordered[^1].Le), $"{family}{{{series.Key}}}: no le=\"+Inf\" bucket");
                var labels = series.First().Labels.Where(l => l.Key != "le").Select(l => (l.Key, l.Value)).ToArray();
                var count = Select(family + "_count", labels);
                var sum = Select(family + "_sum", labels);
                Assert.True(count.Count == 1 && sum.Count == 1, $"{family}{{{series.Key}}}: _count or _sum missing");
                Assert.Equal(ordered[^1].Value, count[0].Value);
            }
        }
    }

    private static double ParseValue(string text, string where) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new Xunit.Sdk.XunitException($"{where}: invalid value '{text}'"),
    };

    private static void CheckEscapes(string text, bool allowQuote, string where)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                Assert.True(i + 1 < text.Length && (text[i + 1] is '\\' or 'n' || (allowQuote && text[i + 1] == '"')), $"{where}: invalid escape");
                i++;
            }
        }
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && !name.StartsWith("__", StringComparison.Ordinal) && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
