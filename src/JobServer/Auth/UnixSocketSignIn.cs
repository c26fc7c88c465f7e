using JobServer.Sessions;

namespace JobServer.Auth;

/// <summary>
/// Signs a WebSocket session that arrived on the daemon's Unix socket in as <c>root</c> when its peer is trusted
/// (<see cref="PeerCredentials.IsTrusted"/>), through the one sign-in guard like every other credential, so it
/// shows in <c>auth.sessions</c> as <c>UNIX_SOCKET</c>. Any other peer keeps an ordinary anonymous session.
/// </summary>
internal sealed partial class UnixSocketSignIn(SignInGuard guard, SignedInSessions signedIn, ILogger<UnixSocketSignIn> logger)
{
    public async Task SignInAsync(HttpContext context, ILiveSession session)
    {
        if (context.Features.Get<PeerCredentials>() is not { } peer)
        {
            return;
        }

        if (!peer.IsTrusted)
        {
            LogUntrustedPeer(logger, peer.UserId, peer.ProcessId, session.SessionId);
            return;
        }

        var outcome = await guard.SignInAsync(SignInCredentials.UnixSocketPeer(peer.UserId), address: null,
            context.RequestAborted);
        if (outcome is { Result: LoginResult.Success, Identity: { } identity } && signedIn.TrySignIn(session, identity))
        {
            LogSignedIn(logger, identity.Username, peer.UserId, peer.ProcessId, session.SessionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Username} signed in by Unix socket peer credentials (uid {PeerUid}, pid {PeerPid}) on session {SessionId}")]
    private static partial void LogSignedIn(ILogger logger, string username, int peerUid, int peerPid, string sessionId);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Unix socket peer uid {PeerUid} (pid {PeerPid}) is neither root nor the daemon's user: session {SessionId} stays anonymous")]
    private static partial void LogUntrustedPeer(ILogger logger, int peerUid, int peerPid, string sessionId);
}
