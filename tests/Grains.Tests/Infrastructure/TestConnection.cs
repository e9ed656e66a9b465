using System.Threading.Channels;
using GrainMQ.Runtime;

namespace GrainMQ.Grains.Tests.Infrastructure;

/// <summary>Stands in for a gateway connection: a real observer that records what the session sends it.</summary>
internal sealed class TestConnection : IGrainObserver
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);
    private readonly Channel<object> _received = Channel.CreateUnbounded<object>();

    public ObserverId Id { get; set; }

    public void Receive(object message) => _received.Writer.TryWrite(message);

    /// <summary>The next message, waiting at most 10 s.</summary>
    public async Task<object> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Connection {Id} received nothing within {ReceiveTimeout}.");
        }
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> ExpectAsync<T>()
    {
        var message = await ReadAsync();
        return Assert.IsType<T>(message);
    }

    /// <summary>True when nothing has been received and not read yet.</summary>
    public bool IsIdle => !_received.Reader.TryPeek(out _);
}
