using System.Collections.Frozen;
using JobServer.Sdk;

namespace JobServer.Auth;

/// <summary>
/// The roles an account or API key may hold. <see cref="Role.Authenticated"/> is not among them: every signed-in
/// session has it implicitly, and an account without roles is a plain user.
/// </summary>
internal static class KnownRoles
{
    public static readonly FrozenSet<string> All = new[] { Role.FullAdmin, Role.ReadonlyAdmin, Role.BatchAgent }
        .ToFrozenSet(StringComparer.Ordinal);

    public static string Describe() => string.Join(", ", All.Order(StringComparer.Ordinal));

    /// <summary>The stored form: comma-separated, sorted, without duplicates.</summary>
    public static string Join(IEnumerable<string> roles) =>
        string.Join(',', roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public static IReadOnlyList<string> Split(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// What a credential holding <paramref name="held"/> may still do for an account that now holds
    /// <paramref name="allowed"/>: the roles both grant. A FULL_ADMIN session of an account demoted to
    /// READONLY_ADMIN keeps READONLY_ADMIN (FULL_ADMIN granted it), not nothing.
    /// </summary>
    /// <remarks>Narrowing never lifts a limit: a BATCH_AGENT key stays one even when its owner loses the right to
    /// make one (it would otherwise become a plain user's key, able to do more than before).</remarks>
    public static string[] Narrow(IReadOnlyCollection<string> held, IReadOnlySet<string> allowed)
    {
        var heldSet = held as IReadOnlySet<string> ?? held.ToHashSet(StringComparer.Ordinal);
        return held.Where(role => role == Role.BatchAgent || Grants(allowed, role))
            .Concat(allowed.Where(role => Grants(heldSet, role)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Whether holding <paramref name="held"/> grants <paramref name="requested"/> (FULL_ADMIN grants all).</summary>
    public static bool Grants(IReadOnlySet<string> held, string requested) =>
        held.Contains(Role.FullAdmin) || held.Contains(requested);
}
