using JobServer.Calls;

namespace JobServer.Transfers;

/// <summary>
/// An HTTP answer with a JSON body, in the shape every transfer error uses:
/// <c>{"error": errname, "errno": n, "message": "…", "extra": …}</c>.
/// </summary>
internal static class HttpError
{
    public static IResult Json(int status, string message, ErrorInfo? error = null) => Results.Json(new
    {
        error = error?.ErrName,
        errno = error?.Errno,
        message,
        extra = error?.Extra,
    }, statusCode: status);

    public static IResult From(int status, ErrorInfo error) => Json(status, error.Reason, error);
}
