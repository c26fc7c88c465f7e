using System.ComponentModel;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Calls;
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
    public async Task<string> GenerateToken(Caller caller, int? ttl = DefaultTokenTtlSeconds, JsonObject? attrs = null,
        bool matchOrigin = true, bool singleUse = false)
    {
        var seconds = ttl ?? DefaultTokenTtlSeconds;
        if (seconds is < 1 or > MaxTokenTtlSeconds)
        {
            throw new ValidationException("auth_generate_token.ttl", string.Create(CultureInfo.InvariantCulture,
                $"Must be between 1 and {MaxTokenTtlSeconds} seconds"));
        }

        if (matchOrigin && caller.ClientAddress is null)
        {
            // From core.bulk or a job there is no address to bind to: refuse rather than hand out an unbound token.
            throw new CallError("match_origin needs the caller's address; this call has none (core.bulk or a job)",
                Errno.ENOTSUP);
        }

        return await tokens.GenerateAsync(new TokenInfo(
            caller.Username!,
            caller.Roles,
            (JsonObject?)attrs?.DeepClone() ?? new JsonObject(),
            caller.SessionId,
            matchOrigin ? caller.ClientAddress : null,
            singleUse,
            TimeSpan.FromSeconds(seconds)), CancellationToken.None);
    }

    [Roles(Role.FullAdmin)]
    [Description("The signed-in sessions: {id, current, origin, credentials, username, created_at}; filterable " +
                 "like any query.")]
    public JsonNode? Sessions(ICallContext caller, JsonArray? filters = null, QueryOptions? options = null) =>
        QueryEngine.Apply(signedIn.Describe(caller.SessionId), filters, options);

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

        await signedIn.SignOutAsync(session);
        await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Session terminated");
        return true;
    }
}
