using System.IO.Pipelines;

namespace GrainMQ.Gateway.Tests.Infrastructure;

/// <summary>The byte stream under the test client: a TCP socket or a WebSocket.</summary>
internal interface ITestTransport : IAsyncDisposable
{
    /// <summary>Bytes from the broker; completes when the broker closes the connection.</summary>
    PipeReader Input { get; }

    ValueTask SendAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>Closes the connection at once, without any MQTT packet (a vanished client).</summary>
    void Abort();
}
