using System.Globalization;

namespace GrainMQ.Runtime.Membership;

/// <summary>
/// One incarnation of a silo: where it listens for silo-to-silo traffic and when it started. A silo that restarts on
/// the same host and port gets a new <see cref="Generation"/>, so the old incarnation's entry (possibly declared dead)
/// never names the new one.
/// </summary>
/// <param name="Host">The address other silos and gateways connect to.</param>
/// <param name="Port">The silo-to-silo port.</param>
/// <param name="Generation">Start time of the incarnation in Unix milliseconds (unique per host and port).</param>
public readonly record struct SiloAddress(string Host, int Port, long Generation)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");

    /// <summary>Parses the form written by <see cref="ToString"/>.</summary>
    public static bool TryParse(string text, out SiloAddress address)
    {
        address = default;
        var at = text.LastIndexOf('@');
        var colon = at < 0 ? -1 : text.LastIndexOf(':', at);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        address = new SiloAddress(text[..colon], port, generation);
        return true;
    }
}
