using System.ComponentModel;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Protocol;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Services;

internal sealed partial class AuthService
{
    private const int DefaultTokenTtlSeconds = 600;
    private const int MaxTokenTtlSeconds = 366 * 24 * 3600;

    [Roles(Role.Authenticated)]
    [Description("A token that signs a session in as you (auth.login_with_token). ttl is an inactivity timeout in " +
                 "seconds; match_origin binds it to your address; single_use lets it sign in once. It dies when " +
                 "this session logs out or is terminated.")]
    public string GenerateToken(ICallContext caller, int? ttl = DefaultTokenTtlSeconds, JsonObject? attrs = null,
        bool matchOrigin = true, bool singleUse = false)
    {
        var seconds = ttl ?? DefaultTokenTtlSeconds;
        if (seconds is < 1 or > MaxTokenTtlSeconds)
        {
            throw new ValidationException("auth_generate_token.ttl", string.Create(CultureInfo.InvariantCulture,
                $"Must be between 1 and {MaxTokenTtlSeconds} seconds"));
        }

        var session = (Session)caller;
        return tokens.Generate(new TokenInfo(
            session.Username!,
            session.Roles,
            (JsonObject?)attrs?.DeepClone() ?? new JsonObject(),
            session.SessionId,
            matchOrigin ? session.RemoteAddress : null,
            singleUse,
            TimeSpan.FromSeconds(seconds)));
    }

    [Roles(Role.FullAdmin)]
    [Description("The signed-in sessions: {id, current, origin, credentials, username, created_at}; filterable " +
                 "like any query.")]
    public JsonNode? Sessions(ICallContext caller, JsonArray? filters = null, QueryOptions? options = null) =>
        QueryEngine.Apply(signedIn.Describe((Session)caller), filters, options);

    [Roles(Role.FullAdmin)]
    [Description("Ends another session: it is signed out, its tokens die and its connection is closed.")]
    public async Task<bool> TerminateSession(ICallContext caller, string id)
    {
        if (id == caller.SessionId)
        {
            throw new CallError("Use auth.logout to end your own session", Errno.EINVAL);
        }

        if (!sessions.TryGet(id, out var session))
        {
            throw new CallError($"Session {id} does not exist", Errno.ENOENT);
        }

        signedIn.SignOut(session);
        await session.Transport.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Session terminated");
        return true;
    }
}
