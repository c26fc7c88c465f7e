using System.Linq.Expressions;
using JobServer.Auth;
using JobServer.Sdk;
using JobServer.Storage;

namespace JobServer.Services.Users;

/// <summary>
/// An account as clients see it (<c>user.query</c>, events): everything but the password, which never leaves the
/// server, not even hashed. Built by an EF Core projection, so filters on its scalar fields run in SQL.
/// </summary>
internal sealed record UserEntry : IHasId
{
    public long Id { get; init; }

    public required string Username { get; init; }

    public string FullName { get; init; } = "";

    /// <summary>The account's roles; empty for a plain user.</summary>
    public IReadOnlyList<string> Roles => KnownRoles.Split(RolesText);

    public bool Locked { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The stored comma-separated roles; not public, so neither serialized nor filtered in SQL.</summary>
    internal string RolesText { get; init; } = "";

    /// <summary>
    /// The one mapping from a stored account: EF Core translates it into the query's SQL (so filters on the
    /// entry's fields run there), and <see cref="From"/> runs it compiled on a row already in memory.
    /// </summary>
    public static readonly Expression<Func<UserAccount, UserEntry>> Projection = u => new UserEntry
    {
        Id = u.Id,
        Username = u.Username,
        FullName = u.FullName,
        RolesText = u.Roles,
        Locked = u.Locked,
        CreatedAt = u.CreatedAt,
    };

    private static readonly Func<UserAccount, UserEntry> Project = Projection.Compile();

    public static UserEntry From(UserAccount account) => Project(account);
}
