using GrainMQ.Grains.Sys;
using GrainMQ.Observability.Dashboard;
using GrainMQ.Observability.Health;
using GrainMQ.Observability.Http;
using GrainMQ.Observability.Metrics;
using GrainMQ.Observability.Sys;
using GrainMQ.Runtime.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GrainMQ.Observability;

/// <summary>Wires metrics, health endpoints and the dashboard into a GrainMQ host.</summary>
public static class ObservabilityExtensions
{
    /// <summary>
    /// Registers the HTTP listener (<c>Http</c> section), the health checks, and unless <c>Metrics:Enabled</c> is false
    /// the instruments, the OpenTelemetry meter provider (with OTLP export when configured), the dashboard sampler and
    /// the extra $SYS topics. Call after the runtime, the broker and the gateway are registered.
    /// </summary>
    public static IServiceCollection AddGrainMqObservability(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var httpSection = configuration.GetSection(HttpOptions.SectionName);
        var metricsSection = configuration.GetSection(MetricsOptions.SectionName);
        var http = httpSection.Get<HttpOptions>() ?? new HttpOptions();
        var metrics = metricsSection.Get<MetricsOptions>() ?? new MetricsOptions();
        if ((http.Validate() ?? metrics.Validate()) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        services.AddOptions<HttpOptions>().Bind(httpSection);
        services.AddOptions<MetricsOptions>().Bind(metricsSection);
        services.Configure<GrainCallMetricsOptions>(o => o.TimingSampleEvery = metrics.CallTimingSampleEvery);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HttpEndpoint>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(provider => provider.GetRequiredService<HttpEndpoint>());
        services.AddSingleton<HostState>();
        services.AddHostedService(provider => provider.GetRequiredService<HostState>());
        services.AddHealthChecks().AddCheck<ListenersReadyCheck>("listeners", tags: [HealthTags.Ready]);
        services.AddSingleton<SessionTracker>();
        services.AddSingleton<ClientDirectory>();
        if (!metrics.Enabled)
        {
            return services;
        }

        services.AddSingleton<BrokerInstruments>();
        services.AddSingleton<RuntimeInstruments>();
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<DashboardSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardSampler>());
        services.AddSingleton<ISysTopicSource, MetricsSysTopics>();
        return services;
    }

    /// <summary>
    /// Adds the HTTP listener's endpoints to the pipeline (they answer only on that listener's port) and creates the
    /// session tracker now, before grains run, so that it sees every activation.
    /// </summary>
    public static WebApplication UseGrainMqObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<SessionTracker>();
        app.UseMiddleware<ObservabilityMiddleware>();
        return app;
    }
}
