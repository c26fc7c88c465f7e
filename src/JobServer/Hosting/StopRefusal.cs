using JobServer.Lifecycle;
using JobServer.Calls;
using JobServer.Transfers;

namespace JobServer.Hosting;

/// <summary>
/// While the daemon stops, the doors that start new work answer 503 with the ESHUTDOWN error
/// (<c>{"error": "ESHUTDOWN", "errno": 108, "message": "[ESHUTDOWN] The daemon is shutting down"}</c>):
/// <c>/_upload</c>, <c>/_download</c> and WebSocket handshakes. Open connections keep working until they are
/// closed; their calls get the same error from the Dispatcher.
/// </summary>
internal static class StopRefusal
{
    /// <summary>Installs the refusal; after <c>UseWebSockets</c>, so a handshake is recognised.</summary>
    public static void UseStopRefusal(this WebApplication app)
    {
        var signal = app.Services.GetRequiredService<StopSignal>();
        app.Use(async (context, next) =>
        {
            if (signal.IsStopping && StartsWork(context))
            {
                await HttpError.From(StatusCodes.Status503ServiceUnavailable,
                    ErrorMapper.FromException(StopSignal.Refusal())).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    private static bool StartsWork(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest ||
        context.Request.Path.StartsWithSegments("/_upload", StringComparison.OrdinalIgnoreCase) ||
        context.Request.Path.StartsWithSegments("/_download", StringComparison.OrdinalIgnoreCase);
}
