namespace JobServer.Storage;

/// <summary>
/// A token as the nodes of a cluster share it (table <c>auth_tokens</c>, PostgreSQL only; <c>Cluster/PostgresTokenStore</c>
/// reads and writes it): the SHA-256 hash of the token, never the token, and what it grants.
/// </summary>
internal sealed class SharedToken
{
    public required string Hash { get; set; }

    public required string Username { get; set; }

    /// <summary>The making session's roles, comma-separated as in <c>users</c>.</summary>
    public required string Roles { get; set; }

    /// <summary>The attributes it was made for (<c>{"job": 5}</c>), as JSON.</summary>
    public required string Attributes { get; set; }

    public required string CreatorSession { get; set; }

    /// <summary>The only client address that may use it, or null for any.</summary>
    public string? Origin { get; set; }

    public bool SingleUse { get; set; }

    /// <summary>The inactivity timeout; the token is valid until <see cref="LastUsedAt"/> plus this.</summary>
    public TimeSpan Ttl { get; set; }

    /// <summary>Its last use, on the database's clock.</summary>
    public DateTime LastUsedAt { get; set; }
}
