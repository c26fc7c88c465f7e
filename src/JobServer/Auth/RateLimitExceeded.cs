using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Auth;

/// <summary>
/// The one rate-limit refusal of every door: middlewared's <c>CallError("Rate Limit Exceeded", EBUSY)</c>, with
/// <c>extra.retry_after</c> (whole seconds) so a client knows when to try again; over HTTP, 429 with the same
/// figure in <c>Retry-After</c>.
/// </summary>
internal static class RateLimitExceeded
{
    public const string Message = "Rate Limit Exceeded";

    public static CallError Error(TimeSpan retryAfter) =>
        new(Message, Errno.EBUSY, new JsonObject { ["retry_after"] = Seconds(retryAfter) });

    /// <summary>Rounded up, and at least 1: "retry after 0 s" would invite a hot loop.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}
