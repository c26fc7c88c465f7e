using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Sdk;
using JobServer.Settings;
using JobServer.Transfers;
using Microsoft.Extensions.Options;

namespace JobServer.Rest.Mirror;

/// <summary>
/// <c>/api/v2.0/…</c>, the REST mirror of the registry (reference §8). It only translates: the route and the
/// request become one <see cref="CallRequest"/> for <see cref="Dispatcher.InvokeAsync"/> (the same authorization,
/// validation, rate limits and error mapping as the WebSocket), and the outcome becomes a status and a JSON body.
/// Credentials are read as <c>/_upload</c> reads them, through the one sign-in guard.
/// </summary>
internal sealed class RestEndpoint(
    RestRouteTable routes,
    HttpCredentials credentials,
    Dispatcher dispatcher,
    RestTransfers transfers,
    GeneralSettings settings,
    IOptions<RestOptions> options)
{
    public async Task<IResult?> HandleAsync(HttpContext context, string? path)
    {
        var match = routes.Match(context.Request.Method, "/" + (path ?? ""));
        if (match.Route is not { } route)
        {
            return NoRoute(context, match);
        }

        var (caller, refusal) = await AuthenticateAsync(context, route);
        if (caller is null)
        {
            return refusal;
        }

        try
        {
            if (route.IsUpload)
            {
                return await transfers.UploadAsync(context, route, match.Id, caller, ShowsTrace(caller));
            }

            var body = await RestBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted);
            var arguments = RestArguments.Build(route, match.Id, body.Json, body.IsPresent, context.Request.Query);
            var request = new CallRequest(caller, route.Method.Name, RestArguments.ToElement(arguments))
            {
                Jobs = WantsWait(context) ? JobHandling.AwaitResult : JobHandling.AnswerId,
            };
            if (route.IsDownload)
            {
                return await transfers.DownloadAsync(context, route, request, ShowsTrace(caller));
            }

            var result = await dispatcher.InvokeAsync(request, context.RequestAborted);
            return Render(context, result.Outcome, ShowsTrace(caller));
        }
        catch (RestRequestException e)
        {
            return Refuse(e, caller, route);
        }
    }

    /// <summary>
    /// A request that could not become a call: refused for the caller first, as the Dispatcher refuses a call's
    /// bad parameters only after its authorization, so one without the role learns nothing about the arguments.
    /// </summary>
    public static IResult Refuse(RestRequestException problem, Caller caller, RestRoute route)
    {
        try
        {
            Dispatcher.Authorize(caller, route.Method);
        }
        catch (Sdk.Errors.CallError e)
        {
            return RestErrors.From(ErrorMapper.FromException(e), showTrace: false);
        }

        return RestErrors.Message(problem.Status, problem.Message);
    }

    /// <summary>A call's outcome as the REST answer: 200 with the value as JSON, or the error's status and shape.</summary>
    public static IResult Render(HttpContext context, CallOutcome outcome, bool showTrace)
    {
        if (outcome.Error is { } error)
        {
            if (error.Extra is JsonObject { } extra && extra["retry_after"] is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter.ToJsonString();
            }

            return RestErrors.From(error, showTrace);
        }

        return WireWriter.TrySerializeResult(outcome, out var json, out var failure)
            ? Results.Bytes(json, "application/json")
            : RestErrors.Message(StatusCodes.Status500InternalServerError, $"Failed to JSON serialize the result: {failure}");
    }

    /// <summary><c>?wait=true</c>: a job method answers the job's result (or error) instead of its id.</summary>
    public static bool WantsWait(HttpContext context) =>
        context.Request.Query["wait"].ToString() is "true" or "1";

    /// <summary>
    /// A request with credentials signs in (a wrong one is 401 even for a no-auth method); one without is
    /// anonymous for a no-auth method and 401 for any other.
    /// </summary>
    private async Task<HttpSignIn> AuthenticateAsync(HttpContext context, RestRoute route)
    {
        var hasCredentials = context.Request.Headers.Authorization.Count > 0 ||
                             context.Request.Query.ContainsKey("auth_token");
        if (!hasCredentials && route.Method.Access.NoAuth)
        {
            return new HttpSignIn(Caller.Anonymous("http", context.Connection.RemoteIpAddress), null);
        }

        return await credentials.AuthenticateAsync(context);
    }

    /// <summary>A bug's trace is shown only to an admin, and only while the daemon logs at Debug or Verbose.</summary>
    private bool ShowsTrace(Caller caller) =>
        caller.HasRole(Role.FullAdmin) && settings.Current.LogLevel is "Debug" or "Verbose";

    private static IResult NoRoute(HttpContext context, RestMatch match)
    {
        if (match.AllowedVerbs is { } verbs)
        {
            context.Response.Headers.Allow = string.Join(", ", verbs);
            return RestErrors.Message(StatusCodes.Status405MethodNotAllowed,
                $"{context.Request.Method} is not allowed here: use {string.Join(" or ", verbs)}");
        }

        return RestErrors.Message(StatusCodes.Status404NotFound,
            $"No such resource: {context.Request.Path}", Sdk.Errors.Errno.ENOMETHOD);
    }
}
