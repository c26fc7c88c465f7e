using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sessions;

namespace JobServer.Services;

internal sealed partial class AuthService
{
    private const string PasswordMechanism = "PASSWORD_PLAIN";
    private const string ApiKeyMechanism = "API_KEY_PLAIN";
    private const string TokenMechanism = "TOKEN_PLAIN";

    [NoAuth]
    [Description("The mechanisms auth.login_ex accepts.")]
    public IReadOnlyList<string> MechanismChoices() => [PasswordMechanism, ApiKeyMechanism, TokenMechanism];

    [NoAuth]
    [Description("Signs the session in with an API key (<id>-<secret>); false when it is unknown, revoked or expired.")]
    public async Task<bool> LoginWithApiKey(ILiveSession session, [Secret] string apiKey,
        CancellationToken cancellationToken = default) =>
        await SignInAsync(session, SignInCredentials.ApiKey(apiKey), cancellationToken) == LoginResult.Success;

    [NoAuth]
    [Description("Signs the session in with a token from auth.generate_token; false when it is unknown, expired, " +
                 "used up or bound to another address.")]
    public async Task<bool> LoginWithToken(ILiveSession session, [Secret] string token,
        CancellationToken cancellationToken = default) =>
        await SignInAsync(session, SignInCredentials.Token(token), cancellationToken) == LoginResult.Success;

    [NoAuth]
    [Description("Signs the session in: {mechanism: PASSWORD_PLAIN {username, password} | API_KEY_PLAIN " +
                 "{username, api_key} | TOKEN_PLAIN {token}, login_options: {user_info: true}}.")]
    public async Task<JsonObject> LoginEx(ILiveSession session, [Secret] JsonObject data,
        CancellationToken cancellationToken = default)
    {
        const string prefix = "auth_login_ex.data";
        var mechanism = RequiredString(data, "mechanism", prefix);
        var userInfo = WantsUserInfo(data, prefix);
        var credentials = mechanism switch
        {
            PasswordMechanism => SignInCredentials.Password(RequiredString(data, "username", prefix),
                RequiredString(data, "password", prefix)),
            ApiKeyMechanism => SignInCredentials.ApiKey(RequiredString(data, "api_key", prefix),
                RequiredString(data, "username", prefix)),
            TokenMechanism => SignInCredentials.Token(RequiredString(data, "token", prefix)),
            _ => throw new ValidationException($"{prefix}.mechanism",
                $"Unsupported mechanism {mechanism}; one of {string.Join(", ", MechanismChoices())}"),
        };
        var result = await SignInAsync(session, credentials, cancellationToken);

        return result switch
        {
            LoginResult.Success => new JsonObject
            {
                ["response_type"] = "SUCCESS",
                ["user_info"] = userInfo ? await Me(session.Caller, cancellationToken) : null,
                ["authenticator"] = "LEVEL_1",
                ["reconnect_token"] = null,
            },
            LoginResult.Expired => new JsonObject { ["response_type"] = "EXPIRED" },
            _ => new JsonObject { ["response_type"] = "AUTH_ERR" },
        };
    }

    private static string RequiredString(JsonObject data, string name, string prefix) =>
        data[name] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new ValidationException($"{prefix}.{name}", "A string is required");

    /// <summary><c>login_options.user_info</c>, true unless said otherwise (upstream's default).</summary>
    private static bool WantsUserInfo(JsonObject data, string prefix) =>
        data["login_options"] switch
        {
            null => true,
            JsonObject loginOptions => loginOptions["user_info"] switch
            {
                null => true,
                JsonValue flag when flag.TryGetValue<bool>(out var wanted) => wanted,
                _ => throw new ValidationException($"{prefix}.login_options.user_info", "A boolean is required"),
            },
            _ => throw new ValidationException($"{prefix}.login_options", "An object is required"),
        };
}
