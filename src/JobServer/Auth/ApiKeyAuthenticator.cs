using System.Globalization;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Auth;

/// <summary>
/// Checks an API key, <c>&lt;id&gt;-&lt;secret&gt;</c>: the row by id, the secret against its hash in constant
/// time, then revocation, expiry and the owner's account. The key signs in with its roles, narrowed to what the
/// owner still holds.
/// </summary>
internal sealed class ApiKeyAuthenticator(IDbContextFactory<JobServerDbContext> databases, TimeProvider time)
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

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        var secretMatches = SecretHasher.Matches(secret, row?.KeyHash ?? DecoyHash);
        if (row is null || !secretMatches || row.Revoked ||
            (expectedUsername is not null && expectedUsername != row.Username))
        {
            return ApiKeyCheck.Failed;
        }

        if (row.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            return new ApiKeyCheck(LoginResult.Expired, row.Username, []);
        }

        var version = accountVersion(row.Username);
        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == row.Username, cancellationToken);
        if (owner is null || owner.Locked)
        {
            return ApiKeyCheck.Failed;
        }

        var roles = KnownRoles.Narrow(KnownRoles.Split(row.Roles), owner.RoleSet);
        return new ApiKeyCheck(LoginResult.Success, row.Username, roles, row.Id, version);
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
