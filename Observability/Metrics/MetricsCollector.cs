using System.Diagnostics.Metrics;
using GrainMQ.Runtime;
using GrainMQ.Runtime.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// Owns the OpenTelemetry <see cref="MeterProvider"/> of one broker: it listens to the broker's and the runtime's
/// meters (only those created by this host's <see cref="IMeterFactory"/>, so that several brokers in one process stay
/// apart) and to .NET's built-in <c>System.Runtime</c> meter (GC, heap, thread pool, CPU). A pull reader feeds
/// <see cref="Collect"/> (for <c>/metrics</c> and the dashboard); an OTLP exporter is added when an
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>) is configured.
/// </summary>
public sealed partial class MetricsCollector : IDisposable
{
    /// <summary>.NET's built-in runtime meter (GC, heap, thread pool, JIT, CPU time).</summary>
    public const string SystemRuntimeMeter = "System.Runtime";

    private const int CollectTimeoutMilliseconds = 5000;

    private readonly Lock _gate = new();
    private readonly SnapshotExporter _exporter = new();
    private readonly BaseExportingMetricReader _reader;
    private readonly MeterProvider _provider;

    /// <summary>Builds the provider. The instruments are passed so that they exist before the first collection.</summary>
    public MetricsCollector(
        IMeterFactory meterFactory,
        BrokerInstruments brokerInstruments,
        RuntimeInstruments runtimeInstruments,
        IOptions<RuntimeOptions> runtime,
        IConfiguration configuration,
        ILogger<MetricsCollector> logger)
    {
        ArgumentNullException.ThrowIfNull(brokerInstruments);
        ArgumentNullException.ThrowIfNull(runtimeInstruments);
        SiloName = runtime.Value.SiloName;
        ConstantLabels = [new KeyValuePair<string, string>("silo", SiloName)];
        _reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("grainmq", serviceInstanceId: SiloName))
            .AddMeter(BrokerMeter.Name, RuntimeMeter.Name, SystemRuntimeMeter)
            .AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meterFactory) ? null : MetricStreamConfiguration.Drop)
            .AddReader(_reader);
        if (OtlpSettings.From(configuration) is { } otlp)
        {
            builder.AddOtlpExporter((exporter, reader) => otlp.Apply(exporter, reader));
            LogOtlpExport(logger, otlp.Endpoint, otlp.Protocol);
        }

        _provider = builder.Build();
    }

    /// <summary>The silo these metrics describe (the <c>silo</c> label of every series).</summary>
    public string SiloName { get; }

    /// <summary>Labels added to every series of the Prometheus exposition.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ConstantLabels { get; }

    /// <summary>Collects every instrument now (observable callbacks run on this thread). Collections are serialised.</summary>
    public MetricsSnapshot Collect()
    {
        lock (_gate)
        {
            _reader.Collect(CollectTimeoutMilliseconds);
            return _exporter.Latest ?? new MetricsSnapshot(DateTimeOffset.UtcNow, []);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _provider.Dispose();
        _reader.Dispose();
        _exporter.Dispose();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Exporting metrics over OTLP to {Endpoint} ({Protocol})")]
    private static partial void LogOtlpExport(ILogger logger, Uri endpoint, OtlpExportProtocol protocol);
}
