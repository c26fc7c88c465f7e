namespace JobServer.Auth;

/// <summary>What the sign-in guard decided.</summary>
internal sealed record SignInOutcome(LoginResult Result, SignInIdentity? Identity = null, TimeSpan RetryAfter = default)
{
    public static readonly SignInOutcome AuthError = new(LoginResult.AuthError);

    public static SignInOutcome Success(SignInIdentity identity) => new(LoginResult.Success, identity);

    /// <summary>Not checked at all: the caller must wait <paramref name="retryAfter"/> (back-off or a full queue).</summary>
    public static SignInOutcome RateLimited(TimeSpan retryAfter) => new(LoginResult.RateLimited, RetryAfter: retryAfter);
}
