using System.Text.Json;
using GrainMQ.Grains.Routing;
using GrainMQ.Grains.Retained;
using GrainMQ.Observability.Dashboard;
using GrainMQ.Observability.Health;
using GrainMQ.Observability.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GrainMQ.Observability.Http;

/// <summary>
/// Serves the HTTP listener (and only it: requests on other ports pass through): <c>/healthz/live</c>,
/// <c>/healthz/ready</c>, <c>/metrics</c>, the dashboard's files and its JSON and server-sent event API. Everything but
/// the health endpoints asks for basic authentication when it is configured. GET and HEAD only.
/// </summary>
internal sealed class ObservabilityMiddleware(
    RequestDelegate next,
    HttpEndpoint listener,
    IOptions<HttpOptions> options,
    HealthCheckService health,
    ClientDirectory clients,
    SubscriptionIndex subscriptions,
    RetainedIndex retained,
    IHostApplicationLifetime lifetime,
    IServiceProvider services)
{
    private const int MaxSearchResults = 50;
    private const int MaxFilters = 500;
    private const string ClientsPrefix = "/api/clients/";
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly BasicAuthentication _authentication = new(options.Value.BasicAuth);
    private readonly MetricsCollector? _collector = services.GetService<MetricsCollector>();
    private readonly DashboardSampler? _sampler = services.GetService<DashboardSampler>();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!listener.Serves(context.Connection.LocalPort))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return;
        }

        var path = request.Path.Value ?? "/";
        switch (path)
        {
            case "/healthz/live":
                await HealthEndpoint.WriteAsync(context, health, HealthTags.Live);
                return;
            case "/healthz/ready":
                await HealthEndpoint.WriteAsync(context, health, HealthTags.Ready);
                return;
        }

        if (!_authentication.Authorize(context))
        {
            return;
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        switch (path)
        {
            case "/metrics":
                await WriteMetricsAsync(context);
                break;
            case "/api/overview":
                await WriteFrameAsync(context, static sampler => sampler.LatestJson());
                break;
            case "/api/history":
                await WriteFrameAsync(context, static sampler => sampler.HistoryJson());
                break;
            case "/api/stream":
                await StreamAsync(context);
                break;
            case "/api/clients":
                await WriteJsonAsync(context, clients.Search(request.Query["q"].ToString(), MaxSearchResults));
                break;
            case "/api/topics":
                await WriteJsonAsync(context, Topics(request.Query["q"].ToString()));
                break;
            case var clientPath when clientPath.StartsWith(ClientsPrefix, StringComparison.Ordinal) && clientPath.Length > ClientsPrefix.Length:
                var clientId = Uri.UnescapeDataString(clientPath[ClientsPrefix.Length..]);
                await WriteJsonAsync(context, await clients.InspectAsync(clientId, context.RequestAborted));
                break;
            default:
                await WriteAssetAsync(context, path);
                break;
        }
    }

    private async Task WriteMetricsAsync(HttpContext context)
    {
        if (_collector is null)
        {
            await WriteDisabledAsync(context);
            return;
        }

        var text = PrometheusTextWriter.Write(_collector.Collect(), _collector.ConstantLabels);
        context.Response.ContentType = PrometheusTextWriter.ContentType;
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private async Task WriteFrameAsync(HttpContext context, Func<DashboardSampler, string> read)
    {
        if (_sampler is null)
        {
            await WriteDisabledAsync(context);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(read(_sampler), context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context)
    {
        if (_sampler is null)
        {
            await WriteDisabledAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var reader = _sampler.Watch(out var token);
        try
        {
            await context.Response.WriteAsync("retry: 2000\n\nevent: history\ndata: " + _sampler.HistoryJson() + "\n\n", ending.Token);
            await context.Response.WriteAsync("event: frame\ndata: " + _sampler.LatestJson() + "\n\n", ending.Token);
            await context.Response.Body.FlushAsync(ending.Token);
            await foreach (var frame in reader.ReadAllAsync(ending.Token))
            {
                await context.Response.WriteAsync("event: frame\ndata: " + frame + "\n\n", ending.Token);
                await context.Response.Body.FlushAsync(ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The browser went away or the broker is stopping: the stream simply ends.
        }
        finally
        {
            _sampler.Unwatch(token);
        }
    }

    private object Topics(string query)
    {
        var filters = new List<FilterSubscribers>();
        subscriptions.CollectFilters(filters, MaxFilters);
        var matching = new List<FilterSubscribers>();
        foreach (var filter in filters)
        {
            if (filter.Filter.Contains(query, StringComparison.OrdinalIgnoreCase))
            {
                matching.Add(filter);
            }
        }

        matching.Sort(static (a, b) => b.Subscribers != a.Subscribers ? b.Subscribers.CompareTo(a.Subscribers) : string.CompareOrdinal(a.Filter, b.Filter));
        return new { subscriptions = subscriptions.Count, retained = retained.Count, truncated = filters.Count >= MaxFilters, filters = matching };
    }

    private static async Task WriteAssetAsync(HttpContext context, string path)
    {
        if (!DashboardAssets.TryGet(path, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(asset.Content, context.RequestAborted);
        }
    }

    private static Task WriteDisabledAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return WriteJsonAsync(context, new { error = "metrics are disabled (Metrics:Enabled=false)" });
    }

    private static async Task WriteJsonAsync<T>(HttpContext context, T value)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, Json, context.RequestAborted);
    }
}
