namespace GrainMQ.Runtime.Diagnostics;

/// <summary>How the runtime measures grain calls while metrics are collected (the host binds it; see docs/observability.md).</summary>
public sealed class GrainCallMetricsOptions
{
    /// <summary>
    /// One message turn in this many (per scheduler worker) is timed into the call-duration histogram; every turn is
    /// counted. 1 times every turn. Default 16: a timestamp pair and a histogram update cost about ten times a count.
    /// </summary>
    public int TimingSampleEvery { get; set; } = 16;
}
