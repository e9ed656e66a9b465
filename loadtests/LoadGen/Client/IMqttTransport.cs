namespace GrainMQ.LoadGen.Client;

/// <summary>A connected byte stream to the broker: a TCP socket or a WebSocket carrying MQTT.</summary>
internal interface IMqttTransport : IDisposable
{
    /// <summary>
    /// Reads what has arrived into <paramref name="buffer"/>; 0 means the broker closed the stream. With an empty
    /// buffer it waits until bytes are available without taking any (a zero-byte read), where the transport can.
    /// </summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
