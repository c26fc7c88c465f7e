using Serilog.Events;

namespace JobServer.Hosting;

/// <summary>
/// The level of the one line logged per HTTP request: Serilog's rule (Error for an exception or a 5xx, else
/// Information), except that a 503 is Information — the daemon answers it on purpose while it stops
/// (<see cref="StopRefusal"/>) and when it is not ready, and a probe or operator counts Error entries as bugs —
/// and that probes and scrapes (<c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, every few seconds) log at Debug.
/// </summary>
internal static class RequestLogLevel
{
    public static LogEventLevel Of(HttpContext context, double elapsedMilliseconds, Exception? exception)
    {
        if (exception is not null || (context.Response.StatusCode > 499 &&
                                      context.Response.StatusCode != StatusCodes.Status503ServiceUnavailable))
        {
            return LogEventLevel.Error;
        }

        return IsProbe(context.Request.Path) ? LogEventLevel.Debug : LogEventLevel.Information;
    }

    private static bool IsProbe(PathString path) =>
        path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) ||
        path.Equals("/readyz", StringComparison.OrdinalIgnoreCase) ||
        path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
}
