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
    /// <summary>The account if the password matches and the account is not locked; else null.</summary>
    public async Task<UserAccount?> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == username, cancellationToken);
        // Hash even for unknown users so timing does not tell which usernames exist.
        var matches = PasswordHasher.Verify(password, account?.PasswordHash ?? PasswordHasher.Decoy);
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
}
