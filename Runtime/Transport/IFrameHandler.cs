namespace GrainMQ.Runtime.Transport;

/// <summary>What the transport hands received frames to (the cluster message center).</summary>
internal interface IFrameHandler
{
    /// <summary>
    /// One frame after the handshake (kind byte included). Runs on the connection's read loop: it must not block.
    /// Throwing <see cref="InvalidDataException"/> closes the connection.
    /// </summary>
    void OnFrame(ClusterConnection connection, ReadOnlySpan<byte> frame);

    /// <summary>Whether a peer that presents itself with this handshake may talk to us (false closes the connection).</summary>
    bool Admit(HelloInfo hello);
}
