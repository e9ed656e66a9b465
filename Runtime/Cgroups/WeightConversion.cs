namespace GrainMQ.Runtime.Cgroups;

/// <summary>How the container runtime turned a Kubernetes CPU request (v1 shares) into a v2 cpu.weight.</summary>
public enum WeightConversion
{
    /// <summary>
    /// The linear formula Kubernetes documents and runc before 1.3.2 / crun before 1.23 use:
    /// weight = 1 + ((shares - 2) * 9999) / 262142 (1024 shares → weight 39).
    /// </summary>
    Linear,
    /// <summary>
    /// The formula of runc 1.3.2+ and crun 1.23+: weight = ⌈10^((L² + 125L) / 612 − 7/34)⌉ with L = log2(shares)
    /// (1024 shares → weight 100, the v2 default).
    /// </summary>
    Quadratic,
}

/// <summary>Maps a v2 cpu.weight back to the v1 shares it was made from.</summary>
internal static class CpuWeightConversion
{
    private const long MinShares = 2;
    private const long MaxShares = 262_144;

    /// <summary>
    /// Both formulas lose precision (many shares map to one weight), so the inverse returns the largest shares value that
    /// maps to <paramref name="weight"/>. Erring high keeps whole-CPU requests whole: 2048 shares (2 CPUs) becomes
    /// weight 79 (linear), which maps back to 2073 shares (2.02 CPUs), and floor(2.02) is still 2 workers; the smallest
    /// preimage (2047 shares, 1.999 CPUs) would floor to 1.
    /// </summary>
    public static long WeightToShares(long weight, WeightConversion conversion)
    {
        if (weight < 1)
        {
            return MinShares;
        }

        var shares = conversion == WeightConversion.Linear ? LinearInverse(weight) : QuadraticInverse(weight);
        return Math.Clamp(shares, MinShares, MaxShares);
    }

    // Forward: weight = 1 + ((shares - 2) * 9999) / 262142 with integer division. The largest shares with that weight
    // satisfies (shares - 2) * 9999 < weight * 262142.
    private static long LinearInverse(long weight) => MinShares + ((weight * 262_142) - 1) / 9_999;

    // Forward: weight = ceil(10^e), e = (L² + 125L) / 612 - 7/34, L = log2(shares). Every shares value whose 10^e lies
    // in (weight - 1, weight] maps to weight; solve the quadratic in L for 10^e = weight to get the largest.
    private static long QuadraticInverse(long weight)
    {
        var e = Math.Log10(weight) + (7.0 / 34.0);
        var l = (-125.0 + Math.Sqrt((125.0 * 125.0) + (4.0 * 612.0 * e))) / 2.0;
        return (long)Math.Floor(Math.Pow(2.0, l) + 1e-6);
    }
}
