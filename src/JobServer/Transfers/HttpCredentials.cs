using System.Net.Http.Headers;
using System.Text;
using JobServer.Auth;
using JobServer.Calls;

namespace JobServer.Transfers;

/// <summary>
/// The HTTP doors' one entry into the <see cref="SignInGuard"/>. Reads credentials the way middlewared's file
/// endpoints do (reference §4.3): <c>Authorization: Basic …</c>, <c>Token …</c>, <c>Bearer &lt;api key&gt;</c>, or
/// <c>?auth_token=</c>; a download takes its job-bound token. A refusal by the guard is 429 with
/// <c>Retry-After</c> and the rate-limit error as the JSON body, never a 401: a locked-out guesser must not learn
/// whether the password was right.
/// </summary>
internal sealed class HttpCredentials(SignInGuard guard)
{
    /// <summary>The caller of a request that signs in (uploads; the REST dialects), or the refusal.</summary>
    public async Task<HttpSignIn> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var queryToken = context.Request.Query["auth_token"].ToString();
        if (string.IsNullOrEmpty(header) && string.IsNullOrEmpty(queryToken))
        {
            return HttpSignIn.Refuse(StatusCodes.Status401Unauthorized, "Authentication is required");
        }

        if (!string.IsNullOrEmpty(queryToken))
        {
            return await SignInAsync(context, SignInCredentials.Token(queryToken), perRequest: true);
        }

        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || string.IsNullOrEmpty(parsed.Parameter))
        {
            return HttpSignIn.Refuse(StatusCodes.Status400BadRequest, "Malformed Authorization header");
        }

        var scheme = parsed.Scheme;
        SignInCredentials? credentials =
            scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? FromBasic(parsed.Parameter)
            : scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) ? SignInCredentials.Token(parsed.Parameter)
            : scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? SignInCredentials.ApiKey(parsed.Parameter)
            : null;
        return credentials switch
        {
            null when parsed.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) =>
                HttpSignIn.Refuse(StatusCodes.Status400BadRequest, "Malformed Basic credentials"),
            null => HttpSignIn.Refuse(StatusCodes.Status401Unauthorized,
                $"Unsupported authorization scheme {parsed.Scheme}"),
            _ => await SignInAsync(context, credentials, perRequest: true),
        };
    }

    /// <summary>
    /// A download's token (<c>/_download/{job_id}?auth_token=…</c>): null when it is good for the job, else the
    /// refusal (401 for a missing, wrong, used or expired token, or one made for another job).
    /// </summary>
    public async Task<IResult?> AuthenticateDownloadAsync(HttpContext context, string token, long jobId)
    {
        var (caller, refusal) = await SignInAsync(context, SignInCredentials.DownloadToken(token, jobId), perRequest: false);
        return caller is not null ? null : refusal;
    }

    /// <param name="perRequest">Credentials a client sends with every request (see <see cref="SignInGuard.SignInAsync"/>);
    /// not a download's token, which is used once.</param>
    private async Task<HttpSignIn> SignInAsync(HttpContext context, SignInCredentials credentials, bool perRequest)
    {
        var outcome = await guard.SignInAsync(credentials, context.Connection.RemoteIpAddress, context.RequestAborted,
            perRequest);
        switch (outcome.Result)
        {
            case LoginResult.Success when outcome.Identity is { } identity:
                return new HttpSignIn(
                    new Caller("http", identity.Username, identity.Roles, identity.CredentialType,
                        context.Connection.RemoteIpAddress), null);
            case LoginResult.RateLimited:
                return RateLimited(context, outcome.RetryAfter);
            // A download token presented as a login is refused as such (reference §4.3: 403); a token for
            // another job is just not good for this one.
            case LoginResult.WrongPurpose when credentials.DownloadJobId is null:
                return HttpSignIn.Refuse(StatusCodes.Status403Forbidden, "This token is for a download, not a login");
            default:
                return HttpSignIn.Refuse(StatusCodes.Status401Unauthorized, credentials.Kind switch
                {
                    SignInCredentialKind.Password => "Bad username or password",
                    SignInCredentialKind.ApiKey => "Invalid API key",
                    _ => "Invalid token",
                });
        }
    }

    private static HttpSignIn RateLimited(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter =
            RateLimitExceeded.Seconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new HttpSignIn(null, HttpError.From(StatusCodes.Status429TooManyRequests,
            ErrorMapper.FromException(RateLimitExceeded.Error(retryAfter))));
    }

    /// <summary>The username and password of <c>Basic base64(user:password)</c>; null when malformed.</summary>
    private static SignInCredentials? FromBasic(string parameter)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : SignInCredentials.Password(decoded[..colon], decoded[(colon + 1)..]);
    }
}
