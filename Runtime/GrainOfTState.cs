using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Runtime;

/// <summary>
/// A grain with persistent state, stored as compact bytes through <see cref="IGrainStorage"/> (not as a live object graph).
/// The default codec is System.Text.Json UTF-8 (public get/set properties); register an <see cref="IStateCodec{TState}"/>
/// to replace it. The runtime reads the state before <see cref="Grain.OnActivateAsync"/> and, on deactivation, writes it
/// after <see cref="Grain.OnDeactivateAsync"/> when <see cref="MarkStateDirty"/> was called since the last write.
/// </summary>
public abstract class Grain<TState> : Grain
    where TState : class, new()
{
    private IStateCodec<TState>? _codec;
    private bool _dirty;

    /// <summary>The state; replaced by the stored state on activation.</summary>
    protected TState State { get; set; } = new();

    /// <summary>True when the state was read from storage or written since.</summary>
    protected bool StateExists { get; private set; }

    private IStateCodec<TState> Codec =>
        _codec ??= Activation.Runtime.Services.GetService<IStateCodec<TState>>() ?? JsonStateCodec<TState>.Default;

    /// <summary>Marks the state as changed, so that deactivation writes it.</summary>
    protected void MarkStateDirty() => _dirty = true;

    /// <summary>Writes the state now (a durability point).</summary>
    protected async Task WriteStateAsync()
    {
        var bytes = Codec.Encode(State);
        await Activation.Runtime.Storage.WriteAsync(Id, bytes, CancellationToken.None);
        StateExists = true;
        _dirty = false;
    }

    /// <summary>Deletes the stored state and resets <see cref="State"/> to a new instance.</summary>
    protected async Task ClearStateAsync()
    {
        await Activation.Runtime.Storage.ClearAsync(Id, CancellationToken.None);
        State = new TState();
        StateExists = false;
        _dirty = false;
    }

    internal override async Task LoadStateAsync(CancellationToken cancellationToken)
    {
        var stored = await Activation.Runtime.Storage.ReadAsync(Id, cancellationToken);
        if (stored is { } bytes)
        {
            State = Codec.Decode(bytes.Span);
            StateExists = true;
        }
        else
        {
            State = new TState();
            StateExists = false;
        }
    }

    internal override Task PersistIfDirtyAsync(CancellationToken cancellationToken) =>
        _dirty ? WriteStateAsync() : Task.CompletedTask;
}
