namespace GrainMQ.Runtime.Transport;

/// <summary>What a frame carries. The numbers are on the wire: never renumber them.</summary>
internal enum FrameKind : byte
{
    /// <summary>First frame in each direction: name, role and address of the sender.</summary>
    Hello = 1,

    /// <summary>A grain request: correlation id, forward count, target, body.</summary>
    Request = 2,

    /// <summary>A one-way grain message: forward count, target, body.</summary>
    OneWay = 3,

    /// <summary>The reply to a <see cref="Request"/> or <see cref="SystemRequest"/>: correlation id, outcome.</summary>
    Response = 4,

    /// <summary>A message for an observer (a gateway connection): observer id, body.</summary>
    Observer = 5,

    /// <summary>A failure-detector probe: probe id.</summary>
    Ping = 6,

    /// <summary>The answer to a <see cref="Ping"/>: probe id.</summary>
    Pong = 7,

    /// <summary>A message for the silo itself (not a grain), e.g. a routing-index change: correlation id (0 = one-way), body.</summary>
    SystemRequest = 8,

    /// <summary>The sender has applied membership version N: it no longer holds activations it does not own under it.</summary>
    ViewApplied = 9,

    /// <summary>The sender changed the membership table: read it now rather than at the next refresh (gossip).</summary>
    MembershipChanged = 10,
}

/// <summary>The outcome carried by a <see cref="FrameKind.Response"/>.</summary>
internal enum ResponseStatus : byte
{
    Value = 0,
    Null = 1,
    Error = 2,
}
