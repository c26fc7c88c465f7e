using System.Net.Http.Headers;
using JobServer.IntegrationTests.Support;
using JobServer.Sdk;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// One of the callers of the authorization matrix: who they are and the roles they hold. The device agent signs in
/// with an API key that holds only BATCH_AGENT (a limit), made by <see cref="MatrixDaemon"/>; the others with a password.
/// </summary>
public sealed record Identity(string Name, string? Username, string? Password, IReadOnlyList<string> Roles)
{
    public const string MatrixPassword = "matrix-password-for-tests";

    public static readonly Identity Anonymous = new("anonymous", null, null, []);

    public static readonly Identity PlainUser = new("plain user", "matrix-plain", MatrixPassword, []);

    public static readonly Identity ReadonlyAdmin =
        new("READONLY_ADMIN", "matrix-reader", MatrixPassword, [Role.ReadonlyAdmin]);

    public static readonly Identity FullAdmin = new("FULL_ADMIN", "root", ProbeCredentials.RootPassword, [Role.FullAdmin]);

    /// <summary>Root's key with only BATCH_AGENT: it may call the agent methods and nothing else.</summary>
    public static readonly Identity BatchAgent = new("BATCH_AGENT key", "root", null, [Role.BatchAgent]);

    public static readonly IReadOnlyList<Identity> All = [Anonymous, PlainUser, ReadonlyAdmin, FullAdmin, BatchAgent];

    /// <summary>The API key this identity signs in with (set once by the fixture), or null for a password.</summary>
    public string? ApiKey { get; set; }

    public bool IsSignedIn => Username is not null;

    /// <summary>The sign-in call over a WebSocket: <c>auth.login</c>, or <c>auth.login_with_api_key</c>.</summary>
    public (string Method, object?[] Args) LoginCall => ApiKey is { } key
        ? ("auth.login_with_api_key", [key])
        : ("auth.login", [Username!, Password!]);

    /// <summary>The HTTP doors' credentials: Basic, or <c>Bearer</c> with the API key.</summary>
    public AuthenticationHeaderValue Authorization =>
        ApiKey is { } key ? new AuthenticationHeaderValue("Bearer", key) : Transfer.Basic(Username!, Password!);

    public override string ToString() => Name;
}
