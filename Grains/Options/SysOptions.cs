namespace GrainMQ.Grains.Options;

/// <summary>The <c>$SYS/broker/...</c> statistics topics (configuration section <c>Sys</c>).</summary>
public sealed class SysOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Sys";

    /// <summary>Whether the statistics are published. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the retained statistics are published. Default 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}
