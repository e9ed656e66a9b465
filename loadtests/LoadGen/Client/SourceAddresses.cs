using System.Net;
using System.Net.Sockets;

namespace GrainMQ.LoadGen.Client;

/// <summary>
/// The local addresses clients bind to before connecting (<c>--ifaddr</c>), so that one run is not capped by the
/// ephemeral ports of a single source address (about 28,000 on Linux). Client n uses address n modulo the count.
/// </summary>
public static class SourceAddresses
{
    /// <summary>First and last address of the default spread for a loopback target: 127.0.0.2 to 127.0.0.254.</summary>
    public const string DefaultLoopbackRange = "127.0.0.2-127.0.0.254";

    /// <summary>
    /// The addresses to bind: those given, or for an IPv4 loopback target the default loopback spread, or none
    /// (let the kernel choose) for any other target.
    /// </summary>
    public static IReadOnlyList<IPAddress> Resolve(IReadOnlyList<string> given, IPAddress target)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(target);
        if (given.Count > 0)
        {
            return Parse(given);
        }

        return target.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(target)
            ? Parse([DefaultLoopbackRange])
            : [];
    }

    /// <summary>Parses addresses and IPv4 ranges written <c>first-last</c>; each item may itself be comma-separated.</summary>
    public static IReadOnlyList<IPAddress> Parse(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var addresses = new List<IPAddress>();
        foreach (var item in items)
        {
            foreach (var part in item.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var dash = part.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0)
                {
                    addresses.Add(ParseOne(part));
                    continue;
                }

                var first = ToUInt32(ParseOne(part[..dash]));
                var last = ToUInt32(ParseOne(part[(dash + 1)..]));
                if (last < first)
                {
                    throw new FormatException($"address range '{part}' ends before it starts");
                }

                for (var value = first; value <= last && value >= first; value++)
                {
                    addresses.Add(new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]));
                }
            }
        }

        return addresses;
    }

    private static IPAddress ParseOne(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IP address");

    private static uint ToUInt32(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new FormatException($"address ranges are IPv4 only: {address}");
        }

        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
