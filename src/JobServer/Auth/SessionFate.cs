namespace JobServer.Auth;

/// <summary>What an account change does to one of its live sessions.</summary>
/// <param name="End">Sign it out (and destroy the tokens it made).</param>
/// <param name="Username">Else: the name it goes on as (the account's new name after a rename).</param>
/// <param name="Roles">Else: the roles it keeps (narrowed to what the account still holds).</param>
internal sealed record SessionFate(bool End, string? Username = null, IReadOnlyCollection<string>? Roles = null)
{
    public static readonly SessionFate SignOut = new(End: true);

    /// <summary>Left exactly as it is.</summary>
    public static readonly SessionFate Unchanged = new(End: false);

    public static SessionFate Keep(string username, IReadOnlyCollection<string> roles) => new(End: false, username, roles);
}
