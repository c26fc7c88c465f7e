using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JobServer.Observability.Health;

/// <summary>
/// The body of <c>/healthz</c> and <c>/readyz</c>: <c>{"status": "Healthy", "checks": {"database": {"status",
/// "description"}}}</c>. Only each check's status and fixed description: the endpoints are anonymous, so
/// exceptions, paths and data stay in the log.
/// </summary>
internal static class HealthReportWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
