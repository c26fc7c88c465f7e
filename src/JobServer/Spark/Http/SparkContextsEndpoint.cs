using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;
using JobServer.Spark.Contexts;
using JobServer.Spark.Jobs;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Http;

/// <summary>
/// <c>/contexts</c> as spark-jobserver's (reference §1.4), each route one <c>spark.context_*</c> call: list, show,
/// create (settings from the query, the body's <c>spark.context-settings</c> over them), stop (200, or 202 with
/// <c>Location</c> while the stop goes on; <c>?force=true</c> kills at once) and <c>PUT /contexts?reset=reboot</c>
/// (<c>&amp;sync=false</c>: in the background).
/// </summary>
internal sealed class SparkContextsEndpoint(SparkDoor door, IOptions<SparkOptions> options)
{
    /// <summary>Query parameters that are the door's, not a context's settings.</summary>
    private static readonly HashSet<string> DoorParameters = new(StringComparer.Ordinal) { "_method", "auth_token" };

    public async Task<IResult> CollectionAsync(HttpContext context)
    {
        var (verb, caller, refusal) = await door.AdmitAsync(context, HttpMethods.Get, HttpMethods.Put);
        if (caller is null)
        {
            return refusal!;
        }

        if (verb == HttpMethods.Get)
        {
            return SparkDoor.Render((await door.CallAsync(context, caller, "spark.context_query", [])).Outcome);
        }

        if (context.Request.Query["reset"].ToString() != "reboot")
        {
            return SparkResponses.Error(StatusCodes.Status400BadRequest, "PUT /contexts takes reset=reboot");
        }

        if (!TryFlag(context, "sync", defaultValue: true, out var sync))
        {
            return Malformed("sync");
        }

        // spark's sync=false answers at once ("Context reset requested") and reboots in the background.
        var reset = await door.CallAsync(context, caller, "spark.context_reset", [sync]);
        return reset.Outcome.Error is { } error
            ? Failed(error)
            : SparkResponses.Success(StatusCodes.Status200OK, sync ? "Context reset" : "Context reset requested");
    }

    public async Task<IResult> ContextAsync(HttpContext context, string name)
    {
        var (verb, caller, refusal) = await door.AdmitAsync(context, HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete);
        if (caller is null)
        {
            return refusal!;
        }

        if (verb == HttpMethods.Get)
        {
            return SparkDoor.Render((await door.CallAsync(context, caller, "spark.context_get", [name])).Outcome);
        }

        return verb == HttpMethods.Post ? await CreateAsync(context, caller, name) : await DeleteAsync(context, caller, name);
    }

    private async Task<IResult> CreateAsync(HttpContext context, Caller caller, string name)
    {
        var limit = options.Value.MaxConfigBytes;
        if (await SparkJobSubmission.ReadBodyAsync(context, limit) is not { } body)
        {
            return SparkResponses.Error(StatusCodes.Status413PayloadTooLarge, $"The context config is larger than the limit of {limit} bytes");
        }

        JsonObject? config = null;
        if (body.Trim().Length > 0)
        {
            try
            {
                config = SparkConfigParser.Parse(body);
            }
            catch (FormatException e)
            {
                return SparkResponses.Error(StatusCodes.Status400BadRequest, $"Cannot parse config: {e.Message}");
            }
        }

        var query = new JsonObject();
        foreach (var (key, value) in context.Request.Query.Where(q => !DoorParameters.Contains(q.Key)))
        {
            query[key] = value.ToString();
        }

        var created = await door.CallAsync(context, caller, "spark.context_create", [name, query, config]);
        return created.Outcome.Error is { } error
            ? Failed(error)
            : SparkResponses.Success(StatusCodes.Status200OK, "Context initialized");
    }

    private async Task<IResult> DeleteAsync(HttpContext context, Caller caller, string name)
    {
        if (!TryFlag(context, "force", defaultValue: false, out var force))
        {
            return Malformed("force");
        }

        var deleted = await door.CallAsync(context, caller, "spark.context_delete", [name, force]);
        if (deleted.Outcome.Error is { } error)
        {
            return Failed(error);
        }

        if ((deleted.Outcome.Value as JsonObject)?["stopped"]?.GetValue<bool>() == true)
        {
            return SparkResponses.Success(StatusCodes.Status200OK, "Context stopped");
        }

        // spark's answer while the stop is still in progress: 202, no body, Location: the request's own URI.
        context.Response.Headers.Location = context.Request.Path + context.Request.QueryString;
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>A Boolean query parameter (<c>true</c>/<c>false</c>, any case), or its default when absent.</summary>
    private static bool TryFlag(HttpContext context, string name, bool defaultValue, out bool flag)
    {
        flag = defaultValue;
        var text = context.Request.Query[name].ToString();
        return text.Length == 0 || bool.TryParse(text, out flag);
    }

    /// <summary>spark's (akka-http's) 400 for a query parameter that is not what it must be.</summary>
    private static IResult Malformed(string name) =>
        SparkResponses.Error(StatusCodes.Status400BadRequest, $"The query parameter '{name}' was malformed (true or false)");

    /// <summary>A refused or failed context call in §1.4's shapes.</summary>
    private static IResult Failed(ErrorInfo error)
    {
        if (SparkJobFailure.Read(error.Extra) is { } labelled)
        {
            return SparkResponses.Exception(StatusCodes.Status500InternalServerError, labelled.Label, labelled.Exception);
        }

        var failure = SparkCallFailure.Of(error);
        return error.Errno switch
        {
            Errno.EEXIST => SparkResponses.Error(StatusCodes.Status400BadRequest, failure.Message),
            Errno.EAGAIN => SparkResponses.Error(StatusCodes.Status503ServiceUnavailable, failure.Message),
            _ => failure.ToResult(),
        };
    }
}
