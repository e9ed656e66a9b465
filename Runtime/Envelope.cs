namespace GrainMQ.Runtime;

internal enum EnvelopeKind : byte
{
    /// <summary>A message for <see cref="Grain.ReceiveAsync"/>.</summary>
    Message,

    /// <summary>A tick of a grain timer; <see cref="Envelope.Body"/> is the <see cref="GrainTimer"/>.</summary>
    TimerTick,
}

/// <summary>
/// One message addressed to a grain: the unit that travels through <see cref="IMessageCenter"/> into a mailbox.
/// Its wire form (for a remote transport) is the target, the body (a serialisable record) and, for a request, a
/// correlation id standing in for <see cref="Response"/>, which a transport keeps in its own table.
/// </summary>
internal sealed class Envelope
{
    public Envelope(GrainId target, object body, PendingResponse? response, EnvelopeKind kind = EnvelopeKind.Message)
    {
        Target = target;
        Body = body;
        Response = response;
        Kind = kind;
    }

    public GrainId Target { get; }

    public object Body { get; }

    /// <summary>Where the reply goes, for a request (AskAsync); null for a one-way message.</summary>
    public PendingResponse? Response { get; }

    public EnvelopeKind Kind { get; }
}
