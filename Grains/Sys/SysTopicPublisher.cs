using System.Globalization;
using System.Reflection;
using System.Text;
using GrainMQ.Grains.Interfaces;
using GrainMQ.Grains.Options;
using GrainMQ.Grains.Routing;
using GrainMQ.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrainMQ.Grains.Sys;

/// <summary>
/// Publishes the broker's statistics as retained messages every <see cref="SysOptions.Interval"/>, under
/// mosquitto's names: <c>$SYS/broker/version</c>, <c>$SYS/broker/uptime</c> ("N seconds"),
/// <c>$SYS/broker/clients/connected</c>, <c>$SYS/broker/messages/received</c> and <c>$SYS/broker/messages/sent</c>
/// (PUBLISH packets from and to clients). Topics starting with '$' are not matched by '#' or '+' in the first level,
/// so only clients that ask for <c>$SYS/...</c> see them.
/// </summary>
internal sealed partial class SysTopicPublisher : BackgroundService
{
    private const string Prefix = "$SYS/broker/";

    private readonly MessageRouter _router;
    private readonly BrokerCounters _counters;
    private readonly SysOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SysTopicPublisher> _logger;
    private readonly ISysTopicSource[] _sources;
    private readonly List<KeyValuePair<string, string>> _extra = [];
    private readonly string _version;

    public SysTopicPublisher(
        MessageRouter router,
        BrokerCounters counters,
        IOptions<SysOptions> options,
        TimeProvider time,
        ILogger<SysTopicPublisher> logger,
        IEnumerable<ISysTopicSource> sources)
    {
        _sources = [.. sources];
        _router = router;
        _counters = counters;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var assembly = typeof(SysTopicPublisher).Assembly;
        _version = "GrainMQ " + (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var started = _time.GetTimestamp();
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            try
            {
                await PublishAsync((long)_time.GetElapsedTime(started).TotalSeconds);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Statistics are best effort: a failed round must not stop the host (BackgroundService would).
                LogPublishFailed(_logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task PublishAsync(long uptimeSeconds)
    {
        await PublishAsync("version", _version);
        await PublishAsync("uptime", uptimeSeconds.ToString(CultureInfo.InvariantCulture) + " seconds");
        await PublishAsync("clients/connected", _counters.ClientsConnected.ToString(CultureInfo.InvariantCulture));
        await PublishAsync("messages/received", _counters.MessagesReceived.ToString(CultureInfo.InvariantCulture));
        await PublishAsync("messages/sent", _counters.MessagesSent.ToString(CultureInfo.InvariantCulture));
        _extra.Clear();
        foreach (var source in _sources)
        {
            source.Collect(_extra);
        }

        foreach (var (name, value) in _extra)
        {
            await PublishAsync(name, value);
        }
    }

    private async Task PublishAsync(string name, string value) =>
        await _router.PublishAsync(
            new BrokerMessage(Prefix + name, Encoding.UTF8.GetBytes(value), MqttQoS.AtMostOnce, Retain: true, Properties: null, ExpiresAtUnixMs: null),
            publisherClientId: null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the $SYS statistics failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
