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

    public static UserEntry From(UserAccount account) => new()
    {
        Id = account.Id,
        Username = account.Username,
        FullName = account.FullName,
        RolesText = account.Roles,
        Locked = account.Locked,
        CreatedAt = account.CreatedAt,
    };
}
