using JobServer.Sdk.Errors;

namespace JobServer.Calls;

/// <summary>
/// The HTTP status of a refused call, for every HTTP door (<c>/_upload</c> today, the REST dialects next), so
/// that one error reads the same whichever door it came through.
/// </summary>
internal static class ErrorHttpStatus
{
    /// <summary>
    /// middlewared's statuses: 422 unknown method or bad arguments, 403 not allowed, 503 while the daemon stops, 412 other refusals. A bad
    /// argument is 422 whatever its errno: a path outside the filesystem roots is EACCES, yet the caller may call
    /// the method (refused at call time since issue 12, it must not read as "not allowed").
    /// </summary>
    public static int Of(ErrorInfo error) => error.Errno switch
    {
        Errno.ENOMETHOD => StatusCodes.Status422UnprocessableEntity,
        _ when error.IsValidation => StatusCodes.Status422UnprocessableEntity,
        Errno.EACCES or Errno.ENOTAUTHENTICATED => StatusCodes.Status403Forbidden,
        Errno.ESHUTDOWN => StatusCodes.Status503ServiceUnavailable, // the call began just before the stop
        _ => StatusCodes.Status412PreconditionFailed,
    };
}
