using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Transfers;
using Microsoft.Extensions.Options;

namespace JobServer.Batch;

/// <summary>
/// The seed's REST routes (<c>/jobs</c>, <c>/jobs/{id}</c>, <c>/tasks/{id}</c>), translated to <c>batch.*</c>
/// calls of the Dispatcher after the caller signed in as at <c>/_upload</c> (Basic, Bearer api key, Token).
/// </summary>
internal sealed class BatchRoutes(HttpCredentials credentials, Dispatcher dispatcher, IOptions<BatchOptions> options)
{
    /// <summary>
    /// Found by the REST fuzzer (each was a 500): a key given twice is refused while parsing (a JsonObject with a
    /// duplicate key throws later, when first read), and nesting is bounded below the serializer's 64, so the
    /// body still serializes once wrapped in the call's parameter array.
    /// </summary>
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    public async Task<IResult> CreateAsync(HttpContext context)
    {
        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return Results.Json(new { message = $"The body is larger than {limit} bytes" },
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        JsonNode? body;
        try
        {
            using var bounded = new MemoryStream();
            await context.Request.Body.CopyToAsync(bounded, context.RequestAborted);
            if (bounded.Length > limit)
            {
                return Results.Json(new { message = $"The body is larger than {limit} bytes" },
                    statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            body = bounded.Length == 0 ? null : JsonNode.Parse(bounded.ToArray(), documentOptions: StrictJson);
            // A lone surrogate escape (\ud800) parses but cannot be written again (the REST fuzzer found it).
            _ = body?.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return BatchHttpAnswer.BadRequest("body", $"The body is not valid JSON: {e.Message}");
        }

        if (body is not JsonObject)
        {
            return BatchHttpAnswer.BadRequest("batch", "A JSON object with a batch array is required");
        }

        return await CallAsync(caller, "batch.job_create", new JsonArray(body), context.RequestAborted);
    }

    public async Task<IResult> QueryAsync(HttpContext context)
    {
        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        var query = context.Request.Query;
        if (!TryInt(query["offset"], out var offset))
        {
            return BatchHttpAnswer.BadRequest("offset", "Must be a whole number");
        }

        if (!TryInt(query["limit"], out var limit))
        {
            return BatchHttpAnswer.BadRequest("limit", "Must be a whole number");
        }

        var status = query["status"].ToString();
        return await CallAsync(caller, "batch.job_query",
            new JsonArray(status.Length == 0 ? null : status, offset, limit), context.RequestAborted);
    }

    public Task<IResult> GetAsync(HttpContext context, string id) =>
        CallWithIdAsync(context, "batch.job_get", id,
            string.Equals(context.Request.Query["collection"], "true", StringComparison.OrdinalIgnoreCase));

    public Task<IResult> CancelAsync(HttpContext context, string id) => CallWithIdAsync(context, "batch.job_cancel", id);

    public Task<IResult> GetTaskAsync(HttpContext context, string id) => CallWithIdAsync(context, "batch.task_get", id);

    /// <summary><c>GET /batch/agents</c>: the connected agents (admins only, as <c>batch.agent_query</c> says).</summary>
    public async Task<IResult> AgentsAsync(HttpContext context)
    {
        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        return caller is null ? refusal! : await CallAsync(caller, "batch.agent_query", [], context.RequestAborted);
    }

    /// <summary>An id that is not a number names nothing: 404, as an unknown one.</summary>
    public static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private async Task<IResult> CallWithIdAsync(HttpContext context, string method, string id, bool? collection = null)
    {
        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        if (!TryId(id, out var number))
        {
            return Results.Json(new { message = $"{id} is not a job or task id" }, statusCode: StatusCodes.Status404NotFound);
        }

        var parameters = collection is { } embed ? new JsonArray(number, embed) : new JsonArray(number);
        return await CallAsync(caller, method, parameters, context.RequestAborted);
    }

    /// <summary>One Dispatcher call; its outcome rendered in the batch dialect's shape.</summary>
    public async Task<IResult> CallAsync(Caller caller, string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(parameters.ToJsonString());
        var result = await dispatcher.InvokeAsync(new CallRequest(caller, method, document.RootElement), cancellationToken);
        return BatchHttpAnswer.Of(result.Outcome);
    }

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues value, out int number)
    {
        number = 0;
        return value.Count == 0 || int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
