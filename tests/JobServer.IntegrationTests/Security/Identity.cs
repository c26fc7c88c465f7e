using JobServer.Sdk;

namespace JobServer.IntegrationTests.Security;

/// <summary>One of the four callers of the authorization matrix: who they are and the roles they hold.</summary>
public sealed record Identity(string Name, string? Username, string? Password, IReadOnlyList<string> Roles)
{
    public const string MatrixPassword = "matrix-password-for-tests";

    public static readonly Identity Anonymous = new("anonymous", null, null, []);

    public static readonly Identity PlainUser = new("plain user", "matrix-plain", MatrixPassword, []);

    public static readonly Identity ReadonlyAdmin =
        new("READONLY_ADMIN", "matrix-reader", MatrixPassword, [Role.ReadonlyAdmin]);

    public static readonly Identity FullAdmin = new("FULL_ADMIN", "root", ProbeCredentials.RootPassword, [Role.FullAdmin]);

    public static readonly IReadOnlyList<Identity> All = [Anonymous, PlainUser, ReadonlyAdmin, FullAdmin];

    public bool IsSignedIn => Username is not null;

    public override string ToString() => Name;
}
