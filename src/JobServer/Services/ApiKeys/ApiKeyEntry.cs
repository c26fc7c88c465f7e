using System.Linq.Expressions;
using System.Text.Json.Serialization;
using JobServer.Auth;
using JobServer.Sdk;
using JobServer.Storage;

namespace JobServer.Services.ApiKeys;

/// <summary>
/// An API key as clients see it. <see cref="Key"/> is set only in the answer to <c>api_key.create</c>: the key
/// is shown once and only its hash is stored.
/// </summary>
internal sealed record ApiKeyEntry : IHasId
{
    public long Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The account the key signs in as.</summary>
    public required string Username { get; init; }

    public IReadOnlyList<string> Roles => KnownRoles.Split(RolesText);

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Revoked { get; init; }

    /// <summary>The whole key, <c>&lt;id&gt;-&lt;secret&gt;</c>; only when just created.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    internal string RolesText { get; init; } = "";

    /// <summary>
    /// The one mapping from a stored key: EF Core translates it into the query's SQL, and <see cref="From"/> runs
    /// it compiled on a row already in memory.
    /// </summary>
    public static readonly Expression<Func<ApiKey, ApiKeyEntry>> Projection = k => new ApiKeyEntry
    {
        Id = k.Id,
        Name = k.Name,
        Username = k.Username,
        RolesText = k.Roles,
        CreatedAt = k.CreatedAt,
        ExpiresAt = k.ExpiresAt,
        Revoked = k.Revoked,
    };

    private static readonly Func<ApiKey, ApiKeyEntry> Project = Projection.Compile();

    public static ApiKeyEntry From(ApiKey row) => Project(row);
}
