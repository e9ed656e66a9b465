using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace GrainMQ.Observability.Metrics;

/// <summary>
/// The standard <c>OTEL_EXPORTER_OTLP_*</c> settings, read from configuration (so environment variables, the command
/// line and appsettings all work): <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> (used as is) or
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (<c>/v1/metrics</c> appended for http/protobuf), the <c>..._PROTOCOL</c>
/// (<c>grpc</c> default, or <c>http/protobuf</c>), <c>..._HEADERS</c>, and <c>OTEL_METRIC_EXPORT_INTERVAL</c> (ms).
/// </summary>
internal sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers, int? IntervalMilliseconds)
{
    public static OtlpSettings? From(IConfiguration configuration)
    {
        var protocol = ParseProtocol(configuration["OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"] ?? configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Uri endpoint;
        if (configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] is { Length: > 0 } metricsEndpoint)
        {
            endpoint = new Uri(metricsEndpoint);
        }
        else if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } baseEndpoint)
        {
            endpoint = protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(baseEndpoint.TrimEnd('/') + "/v1/metrics")
                : new Uri(baseEndpoint);
        }
        else
        {
            return null;
        }

        var headers = configuration["OTEL_EXPORTER_OTLP_METRICS_HEADERS"] ?? configuration["OTEL_EXPORTER_OTLP_HEADERS"];
        int? interval = int.TryParse(configuration["OTEL_METRIC_EXPORT_INTERVAL"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : null;
        return new OtlpSettings(endpoint, protocol, headers, interval);
    }

    public void Apply(OtlpExporterOptions exporter, MetricReaderOptions reader)
    {
        exporter.Endpoint = Endpoint;
        exporter.Protocol = Protocol;
        if (Headers is not null)
        {
            exporter.Headers = Headers;
        }

        if (IntervalMilliseconds is { } interval)
        {
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
        }
    }

    private static OtlpExportProtocol ParseProtocol(string? value) =>
        string.Equals(value, "http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
}
