using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Configuration;
using JobServer.Dispatch;
using JobServer.Protocol.WebSockets;
using JobServer.Transfers;
using Microsoft.Extensions.Options;

namespace JobServer.Batch;

/// <summary>
/// <c>/batch/jobs/{id}/ws</c>: sends the whole job object at once, then again on every change (task sent,
/// progress, result, timeout, cancel), and closes after the final one. The caller signs in as on the other routes
/// (browsers: <c>?auth_token=</c>) and must be allowed to see the job (checked by <c>batch.job_get</c> through the
/// Dispatcher); the Origin is checked as on every WebSocket. The socket only sends: what a client writes is read
/// and dropped, so a close from the client ends the watch.
/// </summary>
internal sealed class BatchJobSocket(
    HttpCredentials credentials,
    Dispatcher dispatcher,
    BatchJobWatchers watchers,
    OriginCheck origins,
    IOptions<WebSocketLimits> limits)
{
    public async Task<IResult> HandleAsync(HttpContext context, string id)
    {
        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        if (!BatchRoutes.TryId(id, out var jobId))
        {
            return Results.Json(new { message = $"{id} is not a job id" }, statusCode: StatusCodes.Status404NotFound);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.Json(new { message = "A WebSocket upgrade is required" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (await origins.RefuseIfForeignAsync(context))
        {
            return Results.Empty;
        }

        // Watch before reading: a change between the read and the watch would otherwise be lost.
        using var watch = watchers.Watch(jobId);
        using var parameters = JsonDocument.Parse($"[{jobId}]");
        var current = await dispatcher.InvokeAsync(
            new CallRequest(caller, "batch.job_get", parameters.RootElement), context.RequestAborted);
        if (current.Outcome.IsError)
        {
            return BatchHttpAnswer.Of(current.Outcome);
        }

        var settings = limits.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(settings.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(settings.KeepAliveTimeoutSeconds),
        });
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var draining = DrainAsync(socket, closed);
        try
        {
            await SendAsync(socket, (JsonObject)current.Outcome.Value!, watch, closed.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "final", closed.Token);
            await draining; // the client's close answers ours
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client left; nothing to tell it.
        }
        finally
        {
            await closed.CancelAsync();
            await draining;
        }

        return Results.Empty;
    }

    private static async Task SendAsync(WebSocket socket, JsonObject current, BatchJobWatch watch, CancellationToken cancellationToken)
    {
        await SendOneAsync(socket, current, cancellationToken);
        if (IsFinal(current))
        {
            return;
        }

        await foreach (var job in watch.Changes.ReadAllAsync(cancellationToken))
        {
            await SendOneAsync(socket, job.ToJson(), cancellationToken);
            if (job.IsFinal)
            {
                return;
            }
        }
    }

    private static bool IsFinal(JsonObject job) => BatchStatus.IsFinal(job["status"]!.GetValue<string>());

    private static Task SendOneAsync(WebSocket socket, JsonObject job, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(job.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Reads until the client closes (then ends the watch); drops anything else it sends.</summary>
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, closed.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed either way.
        }

        await closed.CancelAsync();
    }
}
