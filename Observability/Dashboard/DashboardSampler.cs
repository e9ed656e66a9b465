using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using GrainMQ.Observability.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Observability.Dashboard;

/// <summary>
/// Samples the metrics every <see cref="MetricsOptions.DashboardInterval"/> into a <see cref="DashboardFrame"/>,
/// keeps a short history for the charts, and pushes each frame (serialised once) to the dashboards watching the
/// server-sent event stream. A watcher that does not keep up loses old frames, never blocks the sampler.
/// </summary>
public sealed partial class DashboardSampler : BackgroundService
{
    /// <summary>Frames buffered per watcher before the oldest is dropped.</summary>
    private const int WatcherBuffer = 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly MetricsCollector _collector;
    private readonly MetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardSampler> _logger;
    private readonly DashboardFrameBuilder _builder;
    private readonly Lock _gate = new();
    private readonly Queue<HistoryPoint> _history = new();
    private readonly List<Channel<string>> _watchers = [];
    private readonly long _started;
    private MetricsSnapshot? _previous;
    private string? _latestJson;

    /// <summary>Creates the sampler.</summary>
    public DashboardSampler(MetricsCollector collector, IOptions<MetricsOptions> options, TimeProvider time, ILogger<DashboardSampler> logger)
    {
        _collector = collector;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _started = time.GetTimestamp();
        var assembly = typeof(DashboardSampler).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        _builder = new DashboardFrameBuilder(collector.SiloName, version);
    }

    /// <summary>The latest frame as JSON (sampled now if there is none yet).</summary>
    public string LatestJson()
    {
        lock (_gate)
        {
            return _latestJson ?? Sample();
        }
    }

    /// <summary>The chart history as JSON, oldest first.</summary>
    public string HistoryJson()
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(_history, Json);
        }
    }

    /// <summary>Starts watching: every new frame's JSON arrives on the returned reader until <see cref="Unwatch"/>.</summary>
    public ChannelReader<string> Watch(out Channel<string> token)
    {
        token = Channel.CreateBounded<string>(new BoundedChannelOptions(WatcherBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _watchers.Add(token);
        }

        return token.Reader;
    }

    /// <summary>Stops watching.</summary>
    public void Unwatch(Channel<string> token)
    {
        lock (_gate)
        {
            _watchers.Remove(token);
        }

        token.Writer.TryComplete();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.DashboardInterval, _time);
        do
        {
            try
            {
                lock (_gate)
                {
                    Sample();
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSampleFailed(_logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    // Under _gate.
    private string Sample()
    {
        var snapshot = _collector.Collect();
        var uptime = (long)_time.GetElapsedTime(_started).TotalSeconds;
        var frame = _builder.Build(_previous, snapshot, uptime);
        _previous = snapshot;
        var overview = frame.Overview;
        _history.Enqueue(new HistoryPoint(frame.Time, overview.MessagesInRate, overview.MessagesOutRate, overview.DroppedRate, overview.Connections, overview.SessionsLive, overview.SessionsHibernated));
        while (_history.Count > _options.DashboardHistory)
        {
            _history.Dequeue();
        }

        var json = JsonSerializer.Serialize(frame, Json);
        _latestJson = json;
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(json);
        }

        return json;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Sampling the metrics for the dashboard failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
