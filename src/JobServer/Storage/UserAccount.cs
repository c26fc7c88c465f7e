namespace JobServer.Storage;

/// <summary>A row of the accounts table. The password is stored only as a salted slow hash.</summary>
internal sealed class UserAccount
{
    public long Id { get; set; }

    public required string Username { get; set; }

    public required string PasswordHash { get; set; }

    public string FullName { get; set; } = "";

    /// <summary>Comma-separated role names.</summary>
    public string Roles { get; set; } = "";

    public bool Locked { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlySet<string> RoleSet =>
        Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
}
