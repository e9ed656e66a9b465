namespace GrainMQ.Runtime.Membership;

/// <summary>The status of a silo in the membership table (the numbers are stored; never renumber them).</summary>
public enum SiloStatus : short
{
    /// <summary>Inserted, loading what it needs (routing indexes); owns no grains yet.</summary>
    Joining = 2,

    /// <summary>Serving: owns its share of the grains.</summary>
    Active = 3,

    /// <summary>Leaving gracefully: hands its grains over (state written), then declares itself dead.</summary>
    ShuttingDown = 4,

    /// <summary>Gone for good: declared dead by its peers or left. The incarnation never serves again.</summary>
    Dead = 6,
}
