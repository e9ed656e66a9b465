namespace GrainMQ.Runtime.Diagnostics;

/// <summary>
/// The name of the runtime's <see cref="System.Diagnostics.Metrics.Meter"/>. The runtime records grain calls on it
/// (<see cref="Calls"/>, <see cref="CallErrors"/>, <see cref="CallDuration"/>); a metrics host adds its observable instruments (activations,
/// scheduler) to the same meter by asking the same <see cref="System.Diagnostics.Metrics.IMeterFactory"/> for it.
/// </summary>
public static class RuntimeMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "GrainMQ.Runtime";

    /// <summary>Histogram, seconds: the duration of grain turns that handle a message (awaits included), sampled.</summary>
    public const string CallDuration = "grainmq.grain.call.duration";

    /// <summary>Counter: grain turns that handled a message.</summary>
    public const string Calls = "grainmq.grain.calls";

    /// <summary>Counter: grain turns whose message handler threw.</summary>
    public const string CallErrors = "grainmq.grain.call.errors";

    /// <summary>Tag: the grain type name.</summary>
    public const string GrainTypeTag = "grain_type";

    /// <summary>Tag: the method, i.e. the message's record type name.</summary>
    public const string MethodTag = "method";
}
