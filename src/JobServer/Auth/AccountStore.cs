using JobServer.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Auth;

/// <summary>Reads and writes accounts; checks passwords.</summary>
internal sealed class AccountStore(
    IDbContextFactory<JobServerDbContext> databases,
    IOptions<AuthOptions> options,
    TimeProvider time)
{
    // A hash at the configured cost, compared against when the user does not exist: an unknown name costs what a
    // known one does, so timing does not tell which usernames exist.
    private readonly Lazy<string> _decoy = new(() =>
        PasswordHasher.Hash(PasswordHasher.NewPassword(), options.Value.PasswordIterations));

    /// <summary>
    /// The account if the password matches and the account is not locked; else null. Runs PBKDF2 on the calling
    /// thread: the daemon calls it only through the sign-in guard's hash queue.
    /// </summary>
    public async Task<UserAccount?> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == username, cancellationToken);
        var matches = PasswordHasher.Verify(password, account?.PasswordHash ?? _decoy.Value);
        return matches && account is { Locked: false } ? account : null;
    }

    public async Task<UserAccount?> FindAsync(string username, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == username, cancellationToken);
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }

    public async Task<UserAccount> CreateAsync(string username, string password, string fullName,
        IEnumerable<string> roles, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var account = new UserAccount
        {
            Username = username,
            PasswordHash = PasswordHasher.Hash(password, options.Value.PasswordIterations),
            FullName = fullName,
            Roles = string.Join(',', roles),
            CreatedAt = time.GetUtcNow(),
        };
        db.Users.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }

    /// <summary>Sets a new password and unlocks the account (host-side recovery); null when there is no such account.</summary>
    public async Task<UserAccount?> ResetPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.SingleOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (account is null)
        {
            return null;
        }

        account.PasswordHash = PasswordHasher.Hash(password, options.Value.PasswordIterations);
        account.Locked = false;
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }
}
