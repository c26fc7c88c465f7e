using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Jobs;
using JobServer.Transfers;

namespace JobServer.Spark.Http;

/// <summary>
/// What every Spark route shares: sign-in through <see cref="HttpCredentials"/> (the one throttled guard; the
/// same credentials as <c>/_upload</c>), spark's <c>?_method=</c> override, and one call through the
/// <see cref="Dispatcher"/> per request.
/// </summary>
internal sealed class SparkDoor(HttpCredentials credentials, Dispatcher dispatcher)
{
    /// <summary>The request's verb, or the one <c>?_method=</c> names (spark-jobserver's HTTP override).</summary>
    public static string VerbOf(HttpContext context) =>
        context.Request.Query["_method"].ToString() is { Length: > 0 } verb
            ? verb.ToUpperInvariant()
            : context.Request.Method;

    public Task<HttpSignIn> SignInAsync(HttpContext context) => credentials.AuthenticateAsync(context);

    /// <summary>The route's verb and signed-in caller, or the 405 (with <c>Allow</c>) or sign-in refusal.</summary>
    public async Task<(string Verb, Caller? Caller, IResult? Refusal)> AdmitAsync(HttpContext context, params string[] verbs)
    {
        var verb = VerbOf(context);
        if (!verbs.Contains(verb))
        {
            context.Response.Headers.Allow = string.Join(", ", verbs);
            return (verb, null, SparkResponses.Error(StatusCodes.Status405MethodNotAllowed,
                $"{context.Request.Method} is not allowed here"));
        }

        var (caller, refusal) = await SignInAsync(context);
        return (verb, caller, refusal);
    }

    /// <summary>Calls <paramref name="method"/> with positional <paramref name="parameters"/> as the caller.</summary>
    public async Task<CallResult> CallAsync(HttpContext context, Caller caller, string method, JsonArray parameters,
        IJobPipes? pipes = null, JobHandling jobs = JobHandling.AwaitOutcome, bool allowPrivate = false)
    {
        var request = new CallRequest(caller, method, JsonSerializer.SerializeToElement(parameters))
        {
            Pipes = pipes,
            Jobs = jobs,
            AllowPrivate = allowPrivate,
        };
        return await dispatcher.InvokeAsync(request, context.RequestAborted);
    }

    /// <summary>
    /// Whether the caller may call <paramref name="method"/> at all, before a door does work of its own for the
    /// call (looking a binary up): null when it may, else the refusal in spark's shape.
    /// </summary>
    public IResult? Refusal(Caller caller, string method)
    {
        try
        {
            dispatcher.ResolveJob(caller, method, allowPrivate: true);
            return null;
        }
        catch (Exception e) when (ErrorMapper.IsCallFailure(e))
        {
            return SparkCallFailure.Of(ErrorMapper.FromException(e)).ToResult();
        }
    }

    /// <summary>A call's value as the 200 body, or its failure in spark's error shape.</summary>
    public static IResult Render(CallOutcome outcome, int successStatus = StatusCodes.Status200OK) =>
        outcome.Error is { } error
            ? SparkCallFailure.Of(error).ToResult()
            : SparkResponses.Json(successStatus, outcome.Value as JsonNode);
}
