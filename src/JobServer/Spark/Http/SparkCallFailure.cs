using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;

namespace JobServer.Spark.Http;

/// <summary>A refused or failed call as spark-jobserver would answer it: a status and the plain message.</summary>
internal readonly record struct SparkCallFailure(int Status, string Message, string? Attribute)
{
    public static SparkCallFailure Of(ErrorInfo error)
    {
        var (attribute, message) = Describe(error);
        var status = error.Errno switch
        {
            Errno.ENOTAUTHENTICATED => StatusCodes.Status401Unauthorized,
            Errno.EACCES when !error.IsValidation => StatusCodes.Status403Forbidden,
            Errno.ENOENT => StatusCodes.Status404NotFound,
            Errno.ESHUTDOWN => StatusCodes.Status503ServiceUnavailable,
            _ when error.IsValidation => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        };
        return new SparkCallFailure(status, message, attribute);
    }

    public IResult ToResult() => SparkResponses.Error(Status, Message);

    /// <summary>The first validation problem's attribute and message, else the reason without its errname.</summary>
    private static (string? Attribute, string Message) Describe(ErrorInfo error) =>
        error.IsValidation && error.Extra is JsonArray { Count: > 0 } problems && problems[0] is JsonArray { Count: >= 2 } first
            ? (first[0]?.GetValue<string>() is { } a ? a.Split('.')[^1] : null, first[1]?.GetValue<string>() ?? error.Reason)
            : (null, ErrorMapper.WithoutErrname(error.Reason));
}
