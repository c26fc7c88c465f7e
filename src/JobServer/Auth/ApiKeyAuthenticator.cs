using System.Globalization;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Auth;

/// <summary>
/// Checks an API key, <c>&lt;id&gt;-&lt;secret&gt;</c>: the row by id, the secret against its hash in constant
/// time, then revocation, expiry and the owner's account. The key signs in with its roles, narrowed to what the
/// owner still holds. Rows read lately come from <see cref="VerifiedApiKeys"/>; every check above runs on each use.
/// </summary>
internal sealed class ApiKeyAuthenticator(
    IDbContextFactory<JobServerDbContext> databases, VerifiedApiKeys verified, TimeProvider time)
{
    // Compared against when the id is unknown, so a wrong id costs the same as a wrong secret.
    private static readonly string DecoyHash = SecretHasher.Hash(SecretHasher.NewSecret());

    /// <param name="accountVersion">The owner's change count (<see cref="SignedInSessions.AccountVersion"/>), read
    /// once the key names its owner and before the owner's row.</param>
    public async Task<ApiKeyCheck> VerifyAsync(string key, string? expectedUsername, Func<string, long> accountVersion,
        CancellationToken cancellationToken)
    {
        if (!TryParse(key, out var id, out var secret))
        {
            return ApiKeyCheck.Failed;
        }

        if (verified.TryGet(id, out var cached) && accountVersion(cached.Row.Username) == cached.AccountVersion)
        {
            return Check(cached, secret, expectedUsername);
        }

        var generation = verified.Generation;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (row is null)
        {
            SecretHasher.Matches(secret, DecoyHash);
            return ApiKeyCheck.Failed;
        }

        var version = accountVersion(row.Username);
        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == row.Username, cancellationToken);
        var read = VerifiedApiKey.Of(row, owner is null || owner.Locked ? null : owner.RoleSet, version);
        verified.Remember(read, generation);
        return Check(read, secret, expectedUsername);
    }

    /// <summary>The key's worth now: the secret, revocation, the expected owner, expiry, then the owner.</summary>
    private ApiKeyCheck Check(VerifiedApiKey key, string secret, string? expectedUsername)
    {
        var row = key.Row;
        if (!SecretHasher.Matches(secret, row.KeyHash) || row.Revoked ||
            (expectedUsername is not null && expectedUsername != row.Username))
        {
            return ApiKeyCheck.Failed;
        }

        if (row.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            return new ApiKeyCheck(LoginResult.Expired, row.Username, []);
        }

        return key.GrantedRoles is { } roles
            ? new ApiKeyCheck(LoginResult.Success, row.Username, roles, row.Id, key.AccountVersion)
            : ApiKeyCheck.Failed;
    }

    /// <summary>Splits <c>&lt;id&gt;-&lt;secret&gt;</c>; the secret may itself contain dashes.</summary>
    public static bool TryParse(string key, out long id, out string secret)
    {
        id = 0;
        secret = "";
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == key.Length - 1 ||
            !long.TryParse(key.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            return false;
        }

        secret = key[(dash + 1)..];
        return true;
    }
}
