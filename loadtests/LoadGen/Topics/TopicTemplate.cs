using System.Globalization;
using System.Text;

namespace GrainMQ.LoadGen.Topics;

/// <summary>
/// A topic (or topic filter) with placeholders, parsed once and expanded once per client:
/// <c>%i</c> is the client's sequence number, <c>%c</c> its client id and <c>%%</c> a literal percent sign.
/// Any other character after <c>%</c> is kept as written.
/// </summary>
public sealed class TopicTemplate
{
    private readonly string[] _literals;
    private readonly char[] _placeholders;

    private TopicTemplate(string text, string[] literals, char[] placeholders)
    {
        Text = text;
        _literals = literals;
        _placeholders = placeholders;
    }

    public string Text { get; }

    /// <summary>True when the template names a placeholder, so clients get different topics.</summary>
    public bool VariesPerClient => _placeholders.Length > 0;

    public static TopicTemplate Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var literals = new List<string>();
        var placeholders = new List<char>();
        var current = new StringBuilder();
        for (var index = 0; index < text.Length; index++)
        {
            var ch = text[index];
            if (ch != '%' || index + 1 == text.Length)
            {
                current.Append(ch);
                continue;
            }

            var next = text[index + 1];
            switch (next)
            {
                case 'i':
                case 'c':
                    literals.Add(current.ToString());
                    current.Clear();
                    placeholders.Add(next);
                    index++;
                    break;
                case '%':
                    current.Append('%');
                    index++;
                    break;
                default:
                    current.Append(ch);
                    break;
            }
        }

        literals.Add(current.ToString());
        return new TopicTemplate(text, [.. literals], [.. placeholders]);
    }

    /// <summary>The topic of the client with sequence number <paramref name="sequence"/> and id <paramref name="clientId"/>.</summary>
    public string Expand(long sequence, string clientId)
    {
        if (_placeholders.Length == 0)
        {
            return _literals[0];
        }

        var builder = new StringBuilder(_literals[0]);
        for (var index = 0; index < _placeholders.Length; index++)
        {
            if (_placeholders[index] == 'i')
            {
                builder.Append(sequence.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(clientId);
            }

            builder.Append(_literals[index + 1]);
        }

        return builder.ToString();
    }

    public override string ToString() => Text;
}
