using System.Net;

namespace JobServer.Auth;

/// <summary>
/// Where authentication tokens (<c>auth.generate_token</c>, download tokens) live: in this daemon's memory
/// (<see cref="TokenStore"/>, one daemon on SQLite, as upstream), or in the database the nodes of a cluster share
/// (<c>Cluster/PostgresTokenStore</c>), so a token made on one node signs in on every node. Tokens are kept by the
/// SHA-256 hash of the token, never the token itself.
/// </summary>
internal interface ITokenStore
{
    /// <summary>Makes a token for <paramref name="info"/>; returns the token itself (only its hash is kept).</summary>
    Task<string> GenerateAsync(TokenInfo info, CancellationToken cancellationToken);

    /// <summary>
    /// Validates a token presented from <paramref name="origin"/> and uses it: a single-use token is destroyed (once,
    /// wherever it is presented), another's inactivity timeout starts again. Null when it is unknown, expired, bound
    /// to another address, or refused by <paramref name="accept"/> (then it stays as it was).
    /// </summary>
    Task<TokenUse?> TryUseAsync(string token, IPAddress? origin, Func<TokenInfo, bool>? accept,
        CancellationToken cancellationToken);

    /// <summary>Pushes back the expiry of a token a session signed in with (it is in use).</summary>
    void NotifyUsed(string tokenHash);

    /// <summary>Destroys the tokens a session made (on its logout or termination).</summary>
    Task<int> RevokeCreatedByAsync(string sessionId);

    /// <summary>Destroys the tokens of an account (deleted, locked, new password, restored configuration).</summary>
    Task<int> RevokeUserAsync(string username);
}

/// <summary>A token that was validated and used: what it grants, and its hash (the key a session keeps alive).</summary>
internal sealed record TokenUse(TokenInfo Info, string TokenHash);
