namespace JobServer.Auth;

/// <summary>A committed change of an account, as far as its live sessions and tokens care.</summary>
/// <param name="Username">The account's name before the change.</param>
/// <param name="NewUsername">Its name after it (the same unless renamed).</param>
/// <param name="PreviousRoles">Its roles before the change.</param>
/// <param name="Roles">Its roles after the change.</param>
/// <param name="Deleted">The account is gone.</param>
/// <param name="Locked">The account is locked after the change.</param>
/// <param name="PasswordChanged">It has a new password.</param>
internal sealed record AccountChange(
    string Username,
    string NewUsername,
    IReadOnlySet<string> PreviousRoles,
    IReadOnlySet<string> Roles,
    bool Deleted = false,
    bool Locked = false,
    bool PasswordChanged = false)
{
    public bool Renamed => NewUsername != Username;

    /// <summary>It lost a role (one its new roles no longer grant).</summary>
    public bool Demoted => PreviousRoles.Any(role => !KnownRoles.Grants(Roles, role));

    public static AccountChange Deletion(string username, IReadOnlySet<string> roles) =>
        new(username, username, roles, new HashSet<string>(StringComparer.Ordinal), Deleted: true);
}
