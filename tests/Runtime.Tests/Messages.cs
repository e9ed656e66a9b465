namespace GrainMQ.Runtime.Tests;

public sealed record Increment;

public sealed record GetCount;

public sealed record Fail(string Reason, bool AfterAwait);

public sealed record DeactivateNow;

/// <summary>Writes the state now; the reply is the count written.</summary>
public sealed record WriteNow;

public sealed record Sequenced(int Sender, int Number, bool Await);

public sealed record GetObserved;

public sealed record Observed(IReadOnlyList<Sequenced> Messages, int Overlaps);

public sealed record WaitForGate(string Gate);

public sealed record Meet(string Partner);

public sealed record Ping;

public sealed record GetTimerReport;

public sealed record TimerReport(int Ticks, int Overlaps);

public sealed record Flood(string Target, int Messages, string Witness);

public sealed record Witness;

public sealed record Work(int Microseconds);

public sealed record NotifyObserver(ObserverId Observer, string Text);

public sealed record ArmKeepAliveTimer(int DueMilliseconds);

public sealed record KeepAlive(int Milliseconds);

public sealed record ThreadAfterAwait;

public sealed record PingOther(string Key);
