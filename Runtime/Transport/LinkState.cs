namespace GrainMQ.Runtime.Transport;

/// <summary>Where an outbound link stands.</summary>
internal enum LinkState
{
    /// <summary>Connecting (first attempt or again after a loss); frames queue.</summary>
    Connecting,

    /// <summary>The handshake succeeded; frames flow.</summary>
    Connected,

    /// <summary>The last attempt failed; waiting to retry. Requests fail at once, one-way messages queue.</summary>
    Unreachable,

    /// <summary>The target left or was declared dead (or we are stopping); nothing is sent any more.</summary>
    Closed,
}
