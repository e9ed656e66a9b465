using GrainMQ.Runtime;

namespace GrainMQ.Cluster.Tests.Infrastructure;

/// <summary>Adds to the counter (Ask; reply <see cref="Counted"/>).</summary>
public sealed record Add(int Amount);

/// <summary>The counter after an <see cref="Add"/>, and the silo whose activation counted.</summary>
public sealed record Counted(int Total, string Silo);

/// <summary>The persistent state of a <see cref="CounterGrain"/>.</summary>
public sealed class CounterState
{
    /// <summary>The total so far.</summary>
    public int Total { get; set; }
}

/// <summary>A grain with state written on every change: where it runs and what it counted can be checked from outside.</summary>
public sealed class CounterGrain(IObserverRegistry observers) : Grain<CounterState>
{
    /// <inheritdoc />
    public override async ValueTask<object?> ReceiveAsync(object message)
    {
        var add = (Add)message;
        State.Total += add.Amount;
        await WriteStateAsync();
        return new Counted(State.Total, observers.SiloName);
    }
}
