using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GrainMQ.Observability.Health;

/// <summary>Answers <c>/healthz/live</c> and <c>/healthz/ready</c>: 200 when every check with the tag is healthy (or degraded), else 503; a JSON body says why.</summary>
internal static class HealthEndpoint
{
    public static async Task WriteAsync(HttpContext context, HealthCheckService health, string tag)
    {
        var report = await health.CheckHealthAsync(registration => registration.Tags.Contains(tag), context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var checks = new Dictionary<string, object?>(report.Entries.Count, StringComparer.Ordinal);
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new { status = entry.Status.ToString(), description = entry.Description };
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, new { status = report.Status.ToString(), checks }, cancellationToken: context.RequestAborted);
    }
}
