using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Calls;

/// <summary>Maps exceptions to <see cref="ErrorInfo"/> with middlewared's rules (reference §1.5).</summary>
internal static class ErrorMapper
{
    public static ErrorInfo FromException(Exception exception) => exception switch
    {
        CallFailedException failed => failed.Error,
        ValidationException validation => new ErrorInfo(
            validation.Errno, Errno.NameOf(validation.Errno), "VALIDATION", validation.Message,
            Trace(exception, formatted: false), ExtraOf(validation.Errors)),
        CallError call => new ErrorInfo(
            call.Errno, Errno.NameOf(call.Errno), null, call.Reason, Trace(exception, formatted: false), call.Extra),
        MatchNotFoundException => new ErrorInfo(
            Errno.EINVAL, Errno.NameOf(Errno.EINVAL), null, MatchNotFoundException.ReasonText,
            Trace(exception, formatted: false), null),
        _ => new ErrorInfo(
            Errno.EINVAL, Errno.NameOf(Errno.EINVAL), null,
            string.IsNullOrEmpty(exception.Message) ? exception.GetType().Name : exception.Message,
            Trace(exception, formatted: true), null),
    };

    /// <summary>A call's own failure (an error to answer), as opposed to a bug to log.</summary>
    public static bool IsCallFailure(Exception exception) =>
        exception is CallError or ValidationException or MatchNotFoundException;

    public static ErrorInfo Call(string message, int errno, JsonNode? extra = null) =>
        FromException(new CallError(message, errno, extra));

    /// <summary>
    /// The exception a service sees for an error it got from a call it made (<c>IJobContext.CallAsync</c>), in the
    /// daemon or through a worker's channel: validation errors stay validation errors, call errors keep their errno
    /// and extra.
    /// </summary>
    public static Exception ToException(int errno, string? type, string reason, JsonNode? extra)
    {
        if (type == "VALIDATION" && extra is JsonArray list)
        {
            return new ValidationException(list.Select(e => new ValidationError(
                e?[0]?.GetValue<string>(), e?[1]?.GetValue<string>() ?? "", e?[2]?.GetValue<int>() ?? Errno.EINVAL)).ToArray());
        }

        return new CallError(WithoutErrname(reason), errno, extra?.DeepClone());
    }

    /// <summary>"[EACCES] Not authorized" → "Not authorized": a <see cref="CallError"/> adds the errname again in its Reason.</summary>
    public static string WithoutErrname(string reason) =>
        reason.StartsWith('[') && reason.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end
            ? reason[(end + 2)..]
            : reason;

    public static JsonArray ExtraOf(IEnumerable<ValidationError> errors)
    {
        var extra = new JsonArray();
        foreach (var error in errors)
        {
            extra.Add(new JsonArray(error.Attribute, error.Message, error.Errno));
        }

        return extra;
    }

    /// <summary>
    /// The trace clients get: the exception class and its text always; the stack only for unexpected errors,
    /// where it is what an operator needs to act on.
    /// </summary>
    private static JsonObject Trace(Exception exception, bool formatted) => new()
    {
        ["class"] = exception.GetType().Name,
        ["formatted"] = formatted ? exception.ToString() : null,
        ["repr"] = $"{exception.GetType().Name}({exception.Message})",
    };
}
