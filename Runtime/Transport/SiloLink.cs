using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace GrainMQ.Runtime.Transport;

/// <summary>
/// The persistent outbound connection to one silo incarnation. Its outbox outlives connections: frames queue while
/// it connects and go out once the handshake succeeds; after a loss it reconnects with exponential backoff (50 ms
/// doubling up to <see cref="ClusterOptions.MaxReconnectDelay"/>). A peer answering with another generation is a
/// different incarnation: the link closes for good. <see cref="Close"/> (target left or declared dead) returns what
/// was still queued, so that the caller can route one-way messages again and fail requests.
/// </summary>
internal sealed class SiloLink
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(50);

    private readonly Channel<OutgoingFrame> _outbox;
    private readonly HelloInfo _self;
    private readonly ClusterOptions _options;
    private readonly IFrameHandler _handler;
    private readonly Action<SiloAddress> _onConnectionLost;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<bool>> _pings = new();
    private ClusterConnection? _connection;
    private long _nextPing;
    private volatile LinkState _state = LinkState.Connecting;

    public SiloLink(SiloAddress target, HelloInfo self, ClusterOptions options, IFrameHandler handler, Action<SiloAddress> onConnectionLost, ILogger logger)
    {
        Target = target;
        _self = self;
        _options = options;
        _handler = handler;
        _onConnectionLost = onConnectionLost;
        _logger = logger;
        _outbox = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(options.MaxQueuedMessagesPerSilo)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Loop = RunAsync();
    }

    public SiloAddress Target { get; }

    public LinkState State => _state;

    public Task Loop { get; }

    /// <summary>Queues a frame. False when the link is closed or its outbox is full.</summary>
    public bool TrySend(OutgoingFrame frame) => _state != LinkState.Closed && _outbox.Writer.TryWrite(frame);

    /// <summary>Sends a probe; true when the answer came within <paramref name="timeout"/>. Fails at once while unreachable.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout)
    {
        if (_state is LinkState.Unreachable or LinkState.Closed)
        {
            return false;
        }

        var id = Interlocked.Increment(ref _nextPing);
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[id] = answered;
        try
        {
            var writer = FrameWriter.Rent(FrameKind.Ping);
            writer.WriteInt64(id);
            if (!TrySend(new OutgoingFrame(writer.ToArray(), null)))
            {
                return false;
            }

            return await answered.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _pings.TryRemove(id, out _);
        }
    }

    public void OnPong(long id)
    {
        if (_pings.TryGetValue(id, out var answered))
        {
            answered.TrySetResult(true);
        }
    }

    /// <summary>Takes no more frames and completes once those queued were written (or the link gave up).</summary>
    public Task FlushAsync()
    {
        _outbox.Writer.TryComplete();
        return Loop;
    }

    /// <summary>Stops the link for good and returns the frames that never left.</summary>
    public List<OutgoingFrame> Close()
    {
        _state = LinkState.Closed;
        _outbox.Writer.TryComplete();
        _closing.Cancel();
        _connection?.Close();
        var left = new List<OutgoingFrame>();
        while (_outbox.Reader.TryRead(out var frame))
        {
            left.Add(frame);
        }

        FailPings();
        return left;
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        var delay = FirstReconnectDelay;
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token))
                {
                    connectTimeout.CancelAfter(_options.ProbeTimeout);
                    await socket.ConnectAsync(Target.Host, Target.Port, connectTimeout.Token);
                    await socket.SendAsync(_self.Encode(), SocketFlags.None, connectTimeout.Token);
                    var (helloFrame, leftover) = await ClusterConnection.ReadFirstFrameAsync(socket, _options.MaxFrameSize, connectTimeout.Token);
                    var hello = HelloInfo.Decode(helloFrame);
                    if (hello.Address != Target)
                    {
                        ClusterLog.WrongIncarnation(_logger, Target, hello.Address);
                        _state = LinkState.Closed;
                        return;
                    }

                    var connection = new ClusterConnection(socket, _outbox, hello, _options.MaxFrameSize);
                    _connection = connection;
                    _state = LinkState.Connected;
                    delay = FirstReconnectDelay;
                    ClusterLog.LinkConnected(_logger, Target);
                    var error = await connection.RunAsync(_handler, leftover);
                    if (!_closing.IsCancellationRequested)
                    {
                        ClusterLog.LinkLost(_logger, Target, error?.Message ?? "closed by peer");
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidDataException)
            {
                if (_state != LinkState.Unreachable && !_closing.IsCancellationRequested)
                {
                    ClusterLog.LinkFailed(_logger, Target, ex.Message);
                }
            }

            if (_closing.IsCancellationRequested || _outbox.Reader.Completion.IsCompleted)
            {
                return;
            }

            _state = LinkState.Unreachable;
            FailPings();
            _onConnectionLost(Target);
            try
            {
                await Task.Delay(delay, _closing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private void FailPings()
    {
        foreach (var ping in _pings.Values)
        {
            ping.TrySetResult(false);
        }
    }
}
