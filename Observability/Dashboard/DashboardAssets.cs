using System.Collections.Frozen;

namespace GrainMQ.Observability.Dashboard;

/// <summary>The dashboard's static files (embedded in this assembly: no CDN, no external fonts), read once.</summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static bool TryGet(string path, out Asset asset) => Assets.TryGetValue(path, out asset!);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var (file, contentType) in new[]
        {
            ("index.html", "text/html; charset=utf-8"),
            ("dashboard.css", "text/css; charset=utf-8"),
            ("dashboard.js", "text/javascript; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
        })
        {
            using var stream = assembly.GetManifestResourceStream("dashboard/" + file)
                ?? throw new InvalidOperationException($"The dashboard asset {file} is not embedded.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets["/" + file] = new Asset(copy.ToArray(), contentType);
        }

        assets["/"] = assets["/index.html"];
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    internal sealed record Asset(byte[] Content, string ContentType);
}
