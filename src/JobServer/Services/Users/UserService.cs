using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Services.Users;

/// <summary>
/// <c>user.*</c>: the accounts. Queries run in SQL as far as the filters allow (an EF Core projection to
/// <see cref="UserEntry"/>), the rest in memory. Changes are serialized so the "last FULL_ADMIN" rules cannot be
/// raced past by two concurrent calls. A committed change reaches the account's live sessions and tokens at once
/// (<see cref="AccountSessions"/>): deleted or locked, they end; demoted, they narrow.
/// </summary>
internal sealed partial class UserService(
    IDbContextFactory<JobServerDbContext> databases,
    AccountSessions accountSessions,
    PasswordHashQueue hashes,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<UserService> logger) : CrudService<UserEntry, UserCreate, UserUpdate>
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    [Roles(Role.ReadonlyAdmin)]
    [Description("The accounts matching the filters, shaped by the options (middlewared query semantics).")]
    public override ValueTask<JsonNode?> Query(ICallContext caller,
        JsonArray? filters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        // EF Core with SQLite is synchronous underneath; the plan runs the translated part in SQL.
        using var db = databases.CreateDbContext();
        return ValueTask.FromResult(QueryableFilter.Execute(Entries(db), filters, options));
    }

    [Roles(Role.ReadonlyAdmin)]
    [Description("The account with the id; errno 2 when there is none.")]
    public override ValueTask<JsonNode?> GetInstance(ICallContext caller,
        long id, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetInstance(caller, id, options, cancellationToken);

    [Description("Creates an account: {username, password, full_name, roles, locked}.")]
    public override ValueTask<UserEntry> Create(
        ICallContext caller, UserCreate data, CancellationToken cancellationToken = default) =>
        base.Create(caller, data, cancellationToken);

    [Description("Changes the given fields of an account.")]
    public override ValueTask<UserEntry> Update(
        ICallContext caller, long id, UserUpdate data, CancellationToken cancellationToken = default) =>
        base.Update(caller, id, data, cancellationToken);

    [Description("Deletes an account, its API keys and its tokens; not your own, nor the last full admin.")]
    public override ValueTask<bool> Delete(
        ICallContext caller, long id, CancellationToken cancellationToken = default) =>
        base.Delete(caller, id, cancellationToken);

    protected override async ValueTask<IReadOnlyList<UserEntry>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await Entries(db).ToListAsync(cancellationToken);
    }

    protected override async ValueTask<UserEntry> DoCreateAsync(
        ICallContext caller, UserCreate data, CancellationToken cancellationToken)
    {
        const string prefix = "user_create";
        var errors = new List<ValidationError>();
        UserValidation.Username(prefix, data.Username, errors);
        UserValidation.Password(prefix, data.Password, errors);
        UserValidation.FullName(prefix, data.FullName, errors);
        UserValidation.Roles(prefix, data.Roles, errors);
        ValidationException.ThrowIfAny(errors);
        // Hashing is slow on purpose; do it (in the daemon's one hash queue) before taking the write lock.
        var hash = await hashes.HashAsync(data.Password, options.Value.PasswordIterations, cancellationToken);

        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            if (await db.Users.AnyAsync(u => u.Username == data.Username, cancellationToken))
            {
                throw UserValidation.UsernameTaken(prefix);
            }

            var account = new UserAccount
            {
                Username = data.Username,
                PasswordHash = hash,
                FullName = data.FullName,
                Roles = KnownRoles.Join(data.Roles),
                Locked = data.Locked,
                CreatedAt = time.GetUtcNow(),
            };
            db.Users.Add(account);
            await db.SaveChangesAsync(cancellationToken);
            LogCreated(logger, account.Username, account.Id, caller.Username);
            return UserEntry.From(account);
        }
        finally
        {
            _writes.Release();
        }
    }

    protected override async ValueTask<UserEntry> DoUpdateAsync(
        ICallContext caller, long id, UserUpdate data, CancellationToken cancellationToken)
    {
        const string prefix = "user_update";
        var errors = new List<ValidationError>();
        if (data.Username is not null)
        {
            UserValidation.Username(prefix, data.Username, errors);
        }

        if (data.Password is not null)
        {
            UserValidation.Password(prefix, data.Password, errors);
        }

        UserValidation.FullName(prefix, data.FullName ?? "", errors);
        UserValidation.Roles(prefix, data.Roles ?? [], errors);
        ValidationException.ThrowIfAny(errors);
        var hash = data.Password is null
            ? null
            : await hashes.HashAsync(data.Password, options.Value.PasswordIterations, cancellationToken);

        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var account = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken) ?? throw NotFound(id);
            var oldUsername = account.Username;
            var renamed = data.Username is not null && data.Username != oldUsername;
            if (renamed && await db.Users.AnyAsync(u => u.Username == data.Username, cancellationToken))
            {
                throw UserValidation.UsernameTaken(prefix);
            }

            var roles = data.Roles is null ? account.Roles : KnownRoles.Join(data.Roles);
            var locked = data.Locked ?? account.Locked;
            if (IsActiveFullAdmin(account.Roles, account.Locked) && !IsActiveFullAdmin(roles, locked) &&
                !await AnotherActiveFullAdminAsync(db, id, cancellationToken))
            {
                throw new CallError(
                    $"{oldUsername} is the last unlocked FULL_ADMIN account; it must keep that role and stay unlocked",
                    Errno.EPERM);
            }

            var previousRoles = account.RoleSet;
            account.Username = data.Username ?? account.Username;
            account.PasswordHash = hash ?? account.PasswordHash;
            account.FullName = data.FullName ?? account.FullName;
            account.Roles = roles;
            account.Locked = locked;
            await db.SaveChangesAsync(cancellationToken);
            if (renamed)
            {
                // API keys name their owner; they follow the account (its tokens die: AccountSessions).
                await db.ApiKeys.Where(k => k.Username == oldUsername)
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.Username, account.Username), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            await accountSessions.ApplyAsync(new AccountChange(oldUsername, account.Username, previousRoles, account.RoleSet,
                Locked: account.Locked, PasswordChanged: hash is not null), caller.SessionId);
            LogUpdated(logger, account.Username, id, caller.Username);
            return UserEntry.From(account);
        }
        finally
        {
            _writes.Release();
        }
    }

    protected override async ValueTask DoDeleteAsync(ICallContext caller, long id, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var account = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken) ?? throw NotFound(id);
            if (account.Username == caller.Username)
            {
                throw new CallError("You cannot delete the account you are signed in with", Errno.EPERM);
            }

            if (IsActiveFullAdmin(account.Roles, account.Locked) &&
                !await AnotherActiveFullAdminAsync(db, id, cancellationToken))
            {
                throw new CallError($"{account.Username} is the last unlocked FULL_ADMIN account and cannot be deleted",
                    Errno.EPERM);
            }

            await db.ApiKeys.Where(k => k.Username == account.Username).ExecuteDeleteAsync(cancellationToken);
            db.Users.Remove(account);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await accountSessions.ApplyAsync(AccountChange.Deletion(account.Username, account.RoleSet), caller.SessionId);
            LogDeleted(logger, account.Username, id, caller.Username);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>The accounts as clients see them, as a query EF Core can still filter, order and page in SQL.</summary>
    internal static IQueryable<UserEntry> Entries(JobServerDbContext db) =>
        db.Users.AsNoTracking().Select(UserEntry.Projection);

    private static bool IsActiveFullAdmin(string roles, bool locked) =>
        !locked && KnownRoles.Split(roles).Contains(Role.FullAdmin);

    private static async Task<bool> AnotherActiveFullAdminAsync(
        JobServerDbContext db, long exceptId, CancellationToken cancellationToken)
    {
        var candidates = await db.Users.AsNoTracking()
            .Where(u => u.Id != exceptId && !u.Locked && u.Roles.Contains(Role.FullAdmin))
            .Select(u => u.Roles)
            .ToListAsync(cancellationToken);
        return candidates.Any(roles => KnownRoles.Split(roles).Contains(Role.FullAdmin));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} ({Id}) created by {Caller}")]
    private static partial void LogCreated(ILogger logger, string username, long id, string? caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} ({Id}) changed by {Caller}")]
    private static partial void LogUpdated(ILogger logger, string username, long id, string? caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} ({Id}) deleted by {Caller}")]
    private static partial void LogDeleted(ILogger logger, string username, long id, string? caller);
}
