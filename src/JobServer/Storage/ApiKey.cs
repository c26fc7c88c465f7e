namespace JobServer.Storage;

/// <summary>
/// A row of the API keys table. Only a SHA-256 hash of the key's secret is kept: a key is shown once, when it is
/// created, and can never be read back.
/// </summary>
internal sealed class ApiKey
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The account the key signs in as.</summary>
    public required string Username { get; set; }

    /// <summary>Comma-separated role names, a subset of the owner's roles when the key was made.</summary>
    public string Roles { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the secret part of the key.</summary>
    public required string KeyHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public bool Revoked { get; set; }
}
