using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Services.ApiKeys;

/// <summary>
/// <c>api_key.*</c>: keys for scripts, signing in with <c>auth.login_with_api_key</c>. Any signed-in user manages
/// their own keys; admins see every key and a full admin may change any. A key's roles are a subset of its
/// creator's, and it is shown once, at creation. Revoking or deleting a key signs out the sessions it signed in.
/// </summary>
[Namespace("api_key")]
internal sealed partial class ApiKeyService(
    IDbContextFactory<JobServerDbContext> databases,
    SignedInSessions signedIn,
    VerifiedApiKeys verified,
    TimeProvider time,
    ILogger<ApiKeyService> logger) : CrudService<ApiKeyEntry, ApiKeyCreate, ApiKeyUpdate>
{
    private const int MaxNameLength = 200;

    protected override string VerboseName => "API key";

    [Roles(Role.Authenticated)]
    [Description("The API keys matching the filters: every key for admins, your own for others. Never the key itself.")]
    public override ValueTask<JsonNode?> Query(ICallContext caller,
        JsonArray? filters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var db = databases.CreateDbContext();
        return ValueTask.FromResult(QueryableFilter.Execute(Visible(db, caller), filters, options));
    }

    [Roles(Role.Authenticated)]
    [Description("The API key with the id; errno 2 when there is none you may see.")]
    public override ValueTask<JsonNode?> GetInstance(ICallContext caller,
        long id, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetInstance(caller, id, options, cancellationToken);

    [Roles(Role.Authenticated)]
    [Description("Creates a key for yourself: {name, roles?, expires_at?}. The answer's `key` is shown only this once.")]
    public override async ValueTask<ApiKeyEntry> Create(
        ICallContext caller, ApiKeyCreate data, CancellationToken cancellationToken = default)
    {
        var created = await DoCreateAsync(caller, data, cancellationToken);
        // The event goes to every subscribed admin: it must not carry the key.
        Events.Publish(CollectionName, EventKind.Added, created.Id, ToJson(created with { Key = null }));
        return created;
    }

    [Roles(Role.Authenticated)]
    [Description("Renames a key, moves its expiry, or revokes it for good ({revoked: true}).")]
    public override ValueTask<ApiKeyEntry> Update(
        ICallContext caller, long id, ApiKeyUpdate data, CancellationToken cancellationToken = default) =>
        base.Update(caller, id, data, cancellationToken);

    [Roles(Role.Authenticated)]
    [Description("Deletes a key.")]
    public override ValueTask<bool> Delete(
        ICallContext caller, long id, CancellationToken cancellationToken = default) =>
        base.Delete(caller, id, cancellationToken);

    protected override async ValueTask<IReadOnlyList<ApiKeyEntry>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await Entries(db).ToListAsync(cancellationToken);
    }

    protected override async ValueTask<ApiKeyEntry> DoCreateAsync(
        ICallContext caller, ApiKeyCreate data, CancellationToken cancellationToken)
    {
        const string prefix = "api_key_create";
        var owner = caller.Username ?? throw new CallError("Not authenticated", Errno.ENOTAUTHENTICATED);
        var roles = data.Roles ?? caller.Roles.Where(KnownRoles.All.Contains).ToArray();
        var errors = new List<ValidationError>();
        ValidateName(prefix, data.Name, errors);
        foreach (var role in roles)
        {
            if (!KnownRoles.All.Contains(role))
            {
                errors.Add(new ValidationError($"{prefix}.roles",
                    $"Unknown role '{role}'; the roles are {KnownRoles.Describe()}"));
            }
            else if (!KnownRoles.Grants(caller.Roles, role))
            {
                errors.Add(new ValidationError($"{prefix}.roles",
                    $"A key's roles must be among your own; you do not hold {role}", Errno.EPERM));
            }
        }

        if (roles.Contains(Role.BatchAgent) && roles.Any(role => role != Role.BatchAgent))
        {
            errors.Add(new ValidationError($"{prefix}.roles",
                $"{Role.BatchAgent} is a limit: a device agent's key holds no other role"));
        }

        ValidateExpiry(prefix, data.ExpiresAt, errors);
        ValidationException.ThrowIfAny(errors);

        var secret = SecretHasher.NewSecret();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = new ApiKey
        {
            Name = data.Name.Trim(),
            Username = owner,
            Roles = KnownRoles.Join(roles),
            KeyHash = SecretHasher.Hash(secret),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = data.ExpiresAt,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, row.Id, row.Name, owner);
        return ApiKeyEntry.From(row) with { Key = $"{row.Id}-{secret}" };
    }

    protected override async ValueTask<ApiKeyEntry> DoUpdateAsync(
        ICallContext caller, long id, ApiKeyUpdate data, CancellationToken cancellationToken)
    {
        const string prefix = "api_key_update";
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await FindChangeableAsync(db, caller, id, cancellationToken);
        var errors = new List<ValidationError>();
        if (data.Name is not null)
        {
            ValidateName(prefix, data.Name, errors);
        }

        if (data.Revoked == false && row.Revoked)
        {
            errors.Add(new ValidationError($"{prefix}.revoked", "A revoked key cannot be restored"));
        }

        ValidateExpiry(prefix, data.ExpiresAt, errors);
        ValidationException.ThrowIfAny(errors);

        row.Name = data.Name?.Trim() ?? row.Name;
        row.Revoked = data.Revoked ?? row.Revoked;
        row.ExpiresAt = data.ExpiresAt ?? row.ExpiresAt;
        await db.SaveChangesAsync(cancellationToken);
        verified.Forget(row.Id);
        if (row.Revoked)
        {
            await signedIn.EndApiKeySessionsAsync(row.Id);
        }

        LogUpdated(logger, row.Id, row.Revoked, caller.Username);
        return ApiKeyEntry.From(row);
    }

    protected override async ValueTask DoDeleteAsync(ICallContext caller, long id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await FindChangeableAsync(db, caller, id, cancellationToken);
        db.ApiKeys.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        verified.Forget(id);
        await signedIn.EndApiKeySessionsAsync(id);
        LogDeleted(logger, id, caller.Username);
    }

    /// <summary>A key the caller may change: a full admin any, others their own. Others' keys do not exist for
    /// them (errno 2), so ids do not tell whose keys there are.</summary>
    private async Task<ApiKey> FindChangeableAsync(
        JobServerDbContext db, ICallContext caller, long id, CancellationToken cancellationToken)
    {
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return row is not null && (caller.HasRole(Role.FullAdmin) || row.Username == caller.Username)
            ? row
            : throw NotFound(id);
    }

    private void ValidateExpiry(string prefix, DateTimeOffset? expiresAt, List<ValidationError> errors)
    {
        if (expiresAt is { } instant && instant <= time.GetUtcNow())
        {
            errors.Add(new ValidationError($"{prefix}.expires_at", "The expiry must be in the future"));
        }
    }

    private static void ValidateName(string prefix, string name, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            errors.Add(new ValidationError($"{prefix}.name", $"A name is 1 to {MaxNameLength} characters"));
        }
    }

    private static IQueryable<ApiKeyEntry> Visible(JobServerDbContext db, ICallContext caller)
    {
        var entries = Entries(db);
        var username = caller.Username;
        return caller.HasRole(Role.ReadonlyAdmin) ? entries : entries.Where(k => k.Username == username);
    }

    private static IQueryable<ApiKeyEntry> Entries(JobServerDbContext db) =>
        db.ApiKeys.AsNoTracking().Select(ApiKeyEntry.Projection);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {Id} ({Name}) created for {Username}")]
    private static partial void LogCreated(ILogger logger, long id, string name, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {Id} changed (revoked: {Revoked}) by {Caller}")]
    private static partial void LogUpdated(ILogger logger, long id, bool revoked, string? caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {Id} deleted by {Caller}")]
    private static partial void LogDeleted(ILogger logger, long id, string? caller);
}
