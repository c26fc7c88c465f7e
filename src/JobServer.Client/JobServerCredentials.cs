namespace JobServer.Client;

/// <summary>How a client signs in; the same credentials sign in again after every reconnect.</summary>
/// <remarks>The records' <c>ToString</c> never prints the secret, so credentials can sit in logged options.</remarks>
public abstract record JobServerCredentials
{
    private protected JobServerCredentials()
    {
    }

    /// <summary>No sign-in: an anonymous session (or, on the daemon's Unix socket, its peer-credential session).</summary>
    public static JobServerCredentials None { get; } = new NoCredentials();

    /// <summary>A username and password (<c>auth.login</c>).</summary>
    public static JobServerCredentials Password(string username, string password) => new PasswordCredentials(username, password);

    /// <summary>An API key <c>&lt;id&gt;-&lt;secret&gt;</c> (<c>auth.login_with_api_key</c>).</summary>
    public static JobServerCredentials ApiKey(string key) => new ApiKeyCredentials(key);

    /// <summary>A token from <c>auth.generate_token</c> (<c>auth.login_with_token</c>).</summary>
    public static JobServerCredentials Token(string token) => new TokenCredentials(token);

    internal abstract (string Method, object?[] Args)? LoginCall { get; }
}

internal sealed record NoCredentials : JobServerCredentials
{
    internal override (string Method, object?[] Args)? LoginCall => null;

    public override string ToString() => "none";
}

internal sealed record PasswordCredentials(string Username, string Secret) : JobServerCredentials
{
    internal override (string Method, object?[] Args)? LoginCall => ("auth.login", [Username, Secret]);

    public override string ToString() => $"password for {Username}";
}

internal sealed record ApiKeyCredentials(string Secret) : JobServerCredentials
{
    internal override (string Method, object?[] Args)? LoginCall => ("auth.login_with_api_key", [Secret]);

    public override string ToString() => "API key";
}

internal sealed record TokenCredentials(string Secret) : JobServerCredentials
{
    internal override (string Method, object?[] Args)? LoginCall => ("auth.login_with_token", [Secret]);

    public override string ToString() => "token";
}
