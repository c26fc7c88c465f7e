using System.Text.Json;
using JobServer.Auth;

namespace JobServer.Cluster;

/// <summary>
/// An <see cref="AccountChange"/> as one node tells the others (<see cref="PeerConfigRelay"/>): JSON, a few hundred
/// bytes, far below NOTIFY's 8 kB. No secret is in it: names, roles and what happened.
/// </summary>
internal static class PeerAccountChange
{
    public static string Format(AccountChange change) => JsonSerializer.Serialize(new Wire(
        change.Username, change.NewUsername, [.. change.PreviousRoles], [.. change.Roles],
        change.Deleted, change.Locked, change.PasswordChanged));

    /// <summary>The change, or null when the payload is not one (a newer or foreign node's message).</summary>
    public static AccountChange? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Wire>(json) is { Username: { } username, NewUsername: { } newUsername } wire
                ? new AccountChange(username, newUsername, Roles(wire.PreviousRoles), Roles(wire.Roles),
                    wire.Deleted, wire.Locked, wire.PasswordChanged)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HashSet<string> Roles(string[]? roles) => new(roles ?? [], StringComparer.Ordinal);

    private sealed record Wire(string? Username, string? NewUsername, string[]? PreviousRoles, string[]? Roles,
        bool Deleted, bool Locked, bool PasswordChanged);
}
