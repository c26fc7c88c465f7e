using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;

namespace JobServer.Rest.Mirror;

/// <summary>
/// A failed call in the REST dialect's shapes (reference §8): 422 <c>{"message", "errno"}</c> for a call error,
/// 422 <c>{attribute: [{"message", "errno"}]}</c> for a validation error, 404 for an item that does not exist,
/// 401 / 403 for the caller, 429 and 503 as every HTTP door answers them, and 500 <c>{"message", "traceback"}</c>
/// for a bug — its trace only for an admin while system.general logs at Debug or Verbose.
/// </summary>
internal static class RestErrors
{
    public static IResult From(ErrorInfo error, bool showTrace)
    {
        if (IsNotFound(error))
        {
            return Message(StatusCodes.Status404NotFound, error.Reason, error.Errno);
        }

        if (error.IsValidation)
        {
            return Validation(error);
        }

        if (error.Trace?["formatted"] is JsonValue trace)
        {
            // Only unexpected failures carry a formatted trace (ErrorMapper): a bug, not the caller's mistake.
            return Results.Json(new JsonObject
            {
                ["message"] = error.Reason,
                ["traceback"] = showTrace ? trace.GetValue<string>() : null,
            }, RestJsonContext.Default.JsonObject, statusCode: StatusCodes.Status500InternalServerError);
        }

        var status = error.Errno switch
        {
            Errno.ENOTAUTHENTICATED => StatusCodes.Status401Unauthorized,
            Errno.EACCES => StatusCodes.Status403Forbidden,
            Errno.ENOMETHOD => StatusCodes.Status404NotFound,
            Errno.ESHUTDOWN => StatusCodes.Status503ServiceUnavailable,
            Errno.EBUSY when error.Extra is JsonObject extra && extra.ContainsKey("retry_after") => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Message(status, error.Reason, error.Errno);
    }

    /// <summary>The reference's <c>{"message", "errno"}</c>.</summary>
    public static IResult Message(int status, string message, int? errno = null) => Results.Json(new JsonObject
    {
        ["message"] = message,
        ["errno"] = errno,
    }, RestJsonContext.Default.JsonObject, statusCode: status);

    /// <summary>MatchNotFound (a query with <c>get</c>) and InstanceNotFound (<c>get_instance</c>, update, delete).</summary>
    private static bool IsNotFound(ErrorInfo error) =>
        error.Trace?["class"]?.GetValue<string>() is nameof(MatchNotFoundException) or nameof(InstanceNotFoundException);

    /// <summary>Errors grouped by attribute; an error without one is keyed <c>__all__</c>.</summary>
    private static IResult Validation(ErrorInfo error)
    {
        var body = new JsonObject();
        foreach (var entry in error.Extra as JsonArray ?? [])
        {
            if (entry is not JsonArray { Count: 3 } triple)
            {
                continue;
            }

            var attribute = triple[0]?.GetValue<string>() ?? "__all__";
            if (body[attribute] is not JsonArray list)
            {
                body[attribute] = list = [];
            }

            list.Add(new JsonObject { ["message"] = triple[1]?.DeepClone(), ["errno"] = triple[2]?.DeepClone() });
        }

        if (body.Count == 0)
        {
            body["__all__"] = new JsonArray(new JsonObject { ["message"] = error.Reason, ["errno"] = error.Errno });
        }

        return Results.Json(body, RestJsonContext.Default.JsonObject, statusCode: StatusCodes.Status422UnprocessableEntity);
    }
}
