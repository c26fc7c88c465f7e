using System.Net.Http.Headers;
using System.Text;
using JobServer.Auth;
using JobServer.Jobs;
using JobServer.Sdk;

namespace JobServer.Transfers;

/// <summary>
/// Authenticates an HTTP request the way middlewared's file endpoints do (reference §4.3):
/// <c>Authorization: Basic …</c>, <c>Token …</c>, <c>Bearer &lt;api key&gt;</c>, or <c>?auth_token=</c>.
/// </summary>
internal sealed class HttpCredentials(
    AccountStore accounts,
    TokenStore tokens,
    ApiKeyAuthenticator apiKeys,
    FailedLogins failedLogins)
{
    /// <summary>The caller, or the HTTP status and message to refuse the request with.</summary>
    public async Task<(JobCaller? Caller, int Status, string Message)> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var queryToken = context.Request.Query["auth_token"].ToString();
        if (string.IsNullOrEmpty(header) && string.IsNullOrEmpty(queryToken))
        {
            return (null, StatusCodes.Status401Unauthorized, "Authentication is required");
        }

        if (!string.IsNullOrEmpty(queryToken))
        {
            return FromToken(queryToken, context);
        }

        if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || string.IsNullOrEmpty(parsed.Parameter))
        {
            return (null, StatusCodes.Status400BadRequest, "Malformed Authorization header");
        }

        var result = parsed.Scheme.ToUpperInvariant() switch
        {
            "BASIC" => await FromBasicAsync(parsed.Parameter, context.RequestAborted),
            "TOKEN" => FromToken(parsed.Parameter, context),
            "BEARER" => await FromApiKeyAsync(parsed.Parameter, context.RequestAborted),
            _ => (null, StatusCodes.Status401Unauthorized, $"Unsupported authorization scheme {parsed.Scheme}"),
        };
        if (result.Item1 is null && result.Item2 == StatusCodes.Status401Unauthorized)
        {
            // Slow every failed attempt, as auth.login does, so guessing over HTTP is no cheaper.
            await failedLogins.RecordAndHoldAsync("(http)", parsed.Scheme, context.Connection.RemoteIpAddress,
                context.RequestAborted);
        }

        return result;
    }

    private async Task<(JobCaller?, int, string)> FromBasicAsync(string parameter, CancellationToken cancellationToken)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return (null, StatusCodes.Status400BadRequest, "Malformed Basic credentials");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (null, StatusCodes.Status400BadRequest, "Malformed Basic credentials");
        }

        var account = await accounts.VerifyAsync(decoded[..colon], decoded[(colon + 1)..], cancellationToken);
        return account is null
            ? (null, StatusCodes.Status401Unauthorized, "Bad username or password")
            : (new JobCaller("http", account.Username, account.RoleSet, "LOGIN_PASSWORD"), 0, "");
    }

    private (JobCaller?, int, string) FromToken(string token, HttpContext context)
    {
        // A token made for something (a download) is not a login (reference §4.3: 403), and is not used up here.
        var madeForSomething = false;
        if (!tokens.TryUse(token, context.Connection.RemoteIpAddress,
                accept: candidate => !(madeForSomething = candidate.Attributes.Count > 0), out var info, out _))
        {
            return madeForSomething
                ? (null, StatusCodes.Status403Forbidden, "This token is for a download, not a login")
                : (null, StatusCodes.Status401Unauthorized, "Invalid token");
        }

        return (new JobCaller("http", info.Username, info.Roles, "TOKEN"), 0, "");
    }

    private async Task<(JobCaller?, int, string)> FromApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        var check = await apiKeys.VerifyAsync(key, null, cancellationToken);
        return check.Result == LoginResult.Success
            ? (new JobCaller("http", check.Username, check.Roles, "API_KEY"), 0, "")
            : (null, StatusCodes.Status401Unauthorized, "Invalid API key");
    }
}
