using System.Diagnostics;
using System.Threading.Channels;
using GrainMQ.Runtime.Cluster;
using GrainMQ.Runtime.Membership;
using GrainMQ.Runtime.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrainMQ.Cluster.Tests;

// In process, real sockets: a silo's listener with the monitor it feeds, and the link a gateway process keeps to that
// silo (which reconnects by itself when its connection breaks).
public sealed class GatewayReconnectGraceTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(15);
    private const string GatewayName = "gateway-under-test.1";

    private readonly ClusterOptions _options = new() { GatewayReconnectGrace = Grace };
    private readonly Handshakes _handshakes = new();
    private readonly Channel<string> _gone = Channel.CreateUnbounded<string>();
    private readonly RemoteProcessMonitor _monitor;
    private readonly ClusterListener _listener;
    private SiloLink? _link;

    public GatewayReconnectGraceTests()
    {
        _monitor = new RemoteProcessMonitor(Grace, NullLogger.Instance);
        _monitor.ProcessGone += name => _gone.Writer.TryWrite(name);
        _listener = new ClusterListener(0, _options, _handshakes, _monitor, NullLogger.Instance);
    }

    private SiloAddress Silo => new("127.0.0.1", _listener.Port, 1);

    public Task InitializeAsync()
    {
        _listener.Start(new HelloInfo("silo-under-test.1", ClusterRole.Silo, Silo));
        _link = new SiloLink(Silo, new HelloInfo(GatewayName, ClusterRole.Client, new SiloAddress(GatewayName, 0, 2)), _options, _handshakes, static _ => { }, NullLogger.Instance);
        _handshakes.Link = _link;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _link?.Close();
        await _listener.DisposeAsync();
        _monitor.Dispose();
    }

    [Fact]
    public async Task A_gateway_whose_link_breaks_and_reconnects_within_the_grace_is_not_taken_for_gone()
    {
        await _handshakes.NextAsync();
        Assert.True(await _link!.PingAsync(SignalTimeout), "the silo does not serve the gateway's connection");

        _listener.Disconnect(GatewayName);
        await _handshakes.NextAsync();
        Assert.True(_monitor.Watch(GatewayName));

        await Assert.ThrowsAsync<TimeoutException>(() => _gone.Reader.ReadAsync().AsTask().WaitAsync(Grace * 3));
    }

    [Fact]
    public async Task A_gateway_that_does_not_connect_again_is_taken_for_gone_once_the_grace_has_passed()
    {
        await _handshakes.NextAsync();
        Assert.True(await _link!.PingAsync(SignalTimeout), "the silo does not serve the gateway's connection");
        var closed = Stopwatch.StartNew();

        _link.Close();

        Assert.Equal(GatewayName, await _gone.Reader.ReadAsync().AsTask().WaitAsync(SignalTimeout));
        Assert.True(closed.Elapsed >= Grace - TimeSpan.FromMilliseconds(100), $"taken for gone {closed.Elapsed} after it closed; the grace is {Grace}");
        Assert.False(_monitor.Watch(GatewayName), "a process known to be gone is watched again");
    }

    [Fact]
    public async Task A_process_named_by_a_session_that_never_connects_is_taken_for_gone_after_the_grace()
    {
        var watched = Stopwatch.StartNew();

        Assert.True(_monitor.Watch("gateway-never-seen.3"));

        Assert.Equal("gateway-never-seen.3", await _gone.Reader.ReadAsync().AsTask().WaitAsync(SignalTimeout));
        Assert.True(watched.Elapsed >= Grace - TimeSpan.FromMilliseconds(100), $"taken for gone after {watched.Elapsed}; the grace is {Grace}");
    }

    // The frame handler of both ends: the silo admits every hello and reports it (so a test can wait for a
    // reconnection) and answers pings; the gateway's link takes the answers (a ping answered proves that the silo
    // serves the connection).
    private sealed class Handshakes : IFrameHandler
    {
        private readonly Channel<HelloInfo> _admitted = Channel.CreateUnbounded<HelloInfo>();

        public SiloLink? Link { get; set; }

        public void OnFrame(ClusterConnection connection, ReadOnlySpan<byte> frame)
        {
            var reader = new FrameReader(frame);
            var kind = (FrameKind)reader.ReadByte();
            if (kind == FrameKind.Ping)
            {
                var pong = FrameWriter.Rent(FrameKind.Pong);
                pong.WriteInt64(reader.ReadInt64());
                connection.TrySend(new OutgoingFrame(pong.ToArray(), null));
            }
            else if (kind == FrameKind.Pong)
            {
                Link?.OnPong(reader.ReadInt64());
            }
        }

        public bool Admit(HelloInfo hello) => _admitted.Writer.TryWrite(hello);

        public async Task NextAsync() => await _admitted.Reader.ReadAsync().AsTask().WaitAsync(SignalTimeout);
    }
}
