using Serilog.Events;

namespace JobServer.Hosting;

/// <summary>
/// The level of the one line logged per HTTP request: Serilog's rule (Error for an exception or a 5xx, else
/// Information), except that a 503 is Information — the daemon answers it on purpose while it stops
/// (<see cref="StopRefusal"/>), and a probe or operator counts Error entries as bugs.
/// </summary>
internal static class RequestLogLevel
{
    public static LogEventLevel Of(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null || (context.Response.StatusCode > 499 &&
                                  context.Response.StatusCode != StatusCodes.Status503ServiceUnavailable)
            ? LogEventLevel.Error
            : LogEventLevel.Information;
}
