using Microsoft.Extensions.DependencyInjection;

namespace GrainMQ.Runtime;

/// <summary>
/// A grain with persistent state, stored as compact bytes through <see cref="IGrainStorage"/> (not as a live object graph).
/// The default codec is System.Text.Json UTF-8 (public get/set properties); register an <see cref="IStateCodec{TState}"/>
/// to replace it. The runtime reads the state before <see cref="Grain.OnActivateAsync"/> and, on deactivation, writes it
/// after <see cref="Grain.OnDeactivateAsync"/> when <see cref="MarkStateDirty"/> was called since the last write.
/// Every write and clear is conditioned on the version this activation last read or wrote: when another activation of
/// the grain changed the stored state since, it throws <see cref="InconsistentStateException"/> (the caller of the turn
/// sees it), the activation is deactivated at once (<see cref="DeactivationReason.StateConflict"/>) and it never writes
/// again; the next message activates the grain anew with the stored state.
/// </summary>
public abstract class Grain<TState> : Grain
    where TState : class, new()
{
    private IStateCodec<TState>? _codec;
    private bool _dirty;
    private long _version;
    private InconsistentStateException? _conflict;

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
        ThrowIfConflicted();
        var bytes = Codec.Encode(State);
        try
        {
            _version = await Activation.Runtime.Storage.WriteAsync(Id, bytes, _version, CancellationToken.None);
        }
        catch (InconsistentStateException conflict)
        {
            OnConflict(conflict);
            throw;
        }

        StateExists = true;
        _dirty = false;
    }

    /// <summary>Deletes the stored state and resets <see cref="State"/> to a new instance.</summary>
    protected async Task ClearStateAsync()
    {
        ThrowIfConflicted();
        try
        {
            await Activation.Runtime.Storage.ClearAsync(Id, _version, CancellationToken.None);
        }
        catch (InconsistentStateException conflict)
        {
            OnConflict(conflict);
            throw;
        }

        _version = 0;
        State = new TState();
        StateExists = false;
        _dirty = false;
    }

    internal override async Task LoadStateAsync(CancellationToken cancellationToken)
    {
        var stored = await Activation.Runtime.Storage.ReadAsync(Id, cancellationToken);
        if (stored is { } found)
        {
            State = Codec.Decode(found.State.Span);
            _version = found.Version;
            StateExists = true;
        }
        else
        {
            State = new TState();
            _version = 0;
            StateExists = false;
        }
    }

    internal override Task PersistIfDirtyAsync(CancellationToken cancellationToken) =>
        _dirty && _conflict is null ? WriteStateAsync() : Task.CompletedTask;

    private void OnConflict(InconsistentStateException conflict)
    {
        _conflict = conflict;
        Activation.OnStateConflict(conflict);
    }

    // After a lost write the activation's state is stale: it must never reach storage, not even from a turn that
    // caught the exception and tried again.
    private void ThrowIfConflicted()
    {
        if (_conflict is { } conflict)
        {
            throw new InconsistentStateException(Id, conflict.ExpectedVersion, conflict.StoredVersion);
        }
    }
}
