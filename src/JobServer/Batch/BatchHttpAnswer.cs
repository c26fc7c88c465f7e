using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;

namespace JobServer.Batch;

/// <summary>
/// How a <c>/batch</c> route renders a call's outcome: the value as JSON with 200, or an error as
/// <c>{"message", "field", "errors": [{"field", "message"}], "errno", "error"}</c> with 400 for a bad body (the
/// issue: "a JSON body naming the field"), 404 for an unknown (or invisible) job or task, else the status every HTTP door uses (<see cref="ErrorHttpStatus"/>).
/// </summary>
internal static class BatchHttpAnswer
{
    public static IResult Of(CallOutcome outcome)
    {
        if (outcome.Error is not { } error)
        {
            return Results.Bytes(WireWriter.SerializeResult(outcome.Value, outcome.ValueType), "application/json");
        }

        var errors = Fields(error.Extra);
        return Results.Json(new JsonObject
        {
            ["message"] = error.Reason,
            ["field"] = errors.Count > 0 ? errors[0]?["field"]?.DeepClone() : null,
            ["errors"] = errors,
            ["errno"] = error.Errno,
            ["error"] = error.ErrName,
        }, statusCode: StatusOf(error));
    }

    public static IResult BadRequest(string field, string message) => Results.Json(new JsonObject
    {
        ["message"] = message,
        ["field"] = field,
        ["errors"] = new JsonArray(new JsonObject { ["field"] = field, ["message"] = message }),
    }, statusCode: StatusCodes.Status400BadRequest);

    private static int StatusOf(ErrorInfo error) => error.Errno switch
    {
        Errno.ENOENT or Errno.ENOMETHOD => StatusCodes.Status404NotFound,
        _ when error.IsValidation => StatusCodes.Status400BadRequest,
        Errno.ENOTAUTHENTICATED => StatusCodes.Status401Unauthorized,
        _ => ErrorHttpStatus.Of(error),
    };

    /// <summary>A validation error's <c>[[attribute, message, errno], …]</c> as <c>[{field, message}]</c>.</summary>
    private static JsonArray Fields(JsonNode? extra)
    {
        var fields = new JsonArray();
        if (extra is not JsonArray list)
        {
            return fields;
        }

        foreach (var item in list.OfType<JsonArray>().Where(i => i.Count >= 2))
        {
            // The registry prefixes a method's attribute with its parameter name (data.batch[0].method): the
            // body is the data, so the field is named as the client wrote it.
            var field = item[0]?.GetValue<string>();
            field = field?.StartsWith("data.", StringComparison.Ordinal) == true ? field["data.".Length..] : field;
            fields.Add(new JsonObject { ["field"] = field, ["message"] = item[1]?.DeepClone() });
        }

        return fields;
    }
}
