namespace JobServer.Auth;

/// <summary>What a client presents to sign in, whatever the door (a WebSocket method, an HTTP header).</summary>
/// <param name="Kind">Which credential it is.</param>
/// <param name="Secret">The password, the API key (<c>&lt;id&gt;-&lt;secret&gt;</c>) or the token.</param>
/// <param name="Username">The account named with it: required for a password, optional for an API key (then the
/// key must be that account's), none for a token.</param>
/// <param name="DownloadJobId">For a download token: the job it must have been made for.</param>
internal sealed record SignInCredentials(
    SignInCredentialKind Kind, string Secret, string? Username = null, long? DownloadJobId = null)
{
    public static SignInCredentials Password(string username, string password) =>
        new(SignInCredentialKind.Password, password, username);

    public static SignInCredentials ApiKey(string key, string? username = null) =>
        new(SignInCredentialKind.ApiKey, key, username);

    /// <summary>A token that signs in (one made without attributes).</summary>
    public static SignInCredentials Token(string token) => new(SignInCredentialKind.Token, token);

    /// <summary>A download token: one made with <c>attrs.job</c> equal to <paramref name="jobId"/>.</summary>
    public static SignInCredentials DownloadToken(string token, long jobId) =>
        new(SignInCredentialKind.Token, token, DownloadJobId: jobId);

    /// <summary>A trusted Unix-socket peer (uid <paramref name="uid"/>, checked by the caller), signing in as root.</summary>
    public static SignInCredentials UnixSocketPeer(int uid) =>
        new(SignInCredentialKind.UnixSocketPeer, uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            UnixSocketAccount);

    /// <summary>The account a trusted Unix-socket peer is signed in as.</summary>
    public const string UnixSocketAccount = "root";

    /// <summary>The credential type a session signed in with it shows (<c>auth.sessions</c>, jobs).</summary>
    public string CredentialType => Kind switch
    {
        SignInCredentialKind.Password => "LOGIN_PASSWORD",
        SignInCredentialKind.ApiKey => "API_KEY",
        SignInCredentialKind.UnixSocketPeer => "UNIX_SOCKET",
        _ => "TOKEN",
    };

    /// <summary>Redacted: a record's generated ToString would print the secret wherever it is logged.</summary>
    public override string ToString() => $"{CredentialType} for {Username ?? "(none)"}";
}
