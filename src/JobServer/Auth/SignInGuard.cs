using System.Net;

namespace JobServer.Auth;

/// <summary>
/// The one door every credential goes through, whichever protocol brought it (WebSocket login methods, HTTP
/// Basic/Token/Bearer, download tokens; the REST dialects to come): it refuses unchecked while the account or the
/// client address is backing off (<see cref="SignInThrottle"/>) — so a locked-out guesser learns nothing, not even
/// whether the password was right — checks passwords through the bounded <see cref="PasswordHashQueue"/>, keys
/// and tokens directly, counts every failure against the address (and a wrong password against the account), and
/// logs and holds failures (<see cref="FailedLogins"/>). A door adds one call: <see cref="SignInAsync"/>.
/// </summary>
/// <remarks>
/// An account's back-off holds password sign-ins only. API keys and tokens carry 288 random bits, so guessing
/// them is hopeless; a guesser at root's password must not stop root's scripts. Their failures still count against
/// the address, so a flood of bad keys or tokens backs off like any other.
/// </remarks>
internal sealed partial class SignInGuard(
    SignInThrottle throttle,
    PasswordHashQueue hashes,
    AccountStore accounts,
    ApiKeyAuthenticator apiKeys,
    ITokenStore tokens,
    SignedInSessions signedIn,
    FailedLogins failedLogins,
    Audit.AuditLog audit,
    Audit.RepeatedSignIns repeatedSignIns,
    ILogger<SignInGuard> logger)
{
    /// <param name="perRequest">The door signs in on every request (HTTP): a success that repeats one of the last
    /// minute is not audited again (<see cref="Audit.RepeatedSignIns"/>).</param>
    public async Task<SignInOutcome> SignInAsync(
        SignInCredentials credentials, IPAddress? address, CancellationToken cancellationToken, bool perRequest = false)
    {
        var throttledAccount = credentials.Kind == SignInCredentialKind.Password ? credentials.Username : null;
        if (throttle.RetryAfter(throttledAccount, address) is { } wait)
        {
            return Refused(credentials, address, wait);
        }

        var outcome = credentials.Kind switch
        {
            SignInCredentialKind.Password => await CheckPasswordAsync(credentials, address, cancellationToken),
            SignInCredentialKind.ApiKey => Count(credentials, address,
                await CheckApiKeyAsync(credentials, cancellationToken)),
            SignInCredentialKind.UnixSocketPeer => await CheckUnixSocketPeerAsync(credentials, cancellationToken),
            _ => Count(credentials, address, await CheckTokenAsync(credentials, address, cancellationToken)),
        };

        var username = credentials.Username ?? outcome.Identity?.Username;
        if (outcome.Result != LoginResult.Success || !perRequest ||
            repeatedSignIns.IsFirstInWindow(username ?? "", credentials.CredentialType, outcome.Identity?.ApiKeyId, address))
        {
            audit.SignIn(username, credentials.CredentialType, address, outcome.Result == LoginResult.Success,
                outcome.Result.ToString());
        }

        // Held after the hash slot is given back: a held answer must not keep others from being checked.
        if (outcome.Result is LoginResult.AuthError or LoginResult.Expired)
        {
            username ??= "";
            if (credentials.Kind is SignInCredentialKind.Token or SignInCredentialKind.UnixSocketPeer)
            {
                failedLogins.Record(username, credentials.CredentialType, address);
            }
            else
            {
                await failedLogins.RecordAndHoldAsync(username, credentials.CredentialType, address, cancellationToken);
            }
        }

        return outcome;
    }

    private async Task<SignInOutcome> CheckPasswordAsync(
        SignInCredentials credentials, IPAddress? address, CancellationToken cancellationToken)
    {
        var username = credentials.Username!;
        using var slot = await hashes.TryEnterAsync(cancellationToken);
        if (slot is null)
        {
            LogQueueFull(logger, address?.ToString(), hashes.Pending);
            return SignInOutcome.RateLimited(hashes.EstimatedDrain());
        }

        // Checked again: a burst of guesses that queued together must not all be tried once the first few failed.
        if (throttle.RetryAfter(username, address) is { } wait)
        {
            return Refused(credentials, address, wait);
        }

        var version = signedIn.AccountVersion(username);
        var account = await accounts.VerifyAsync(username, credentials.Secret, cancellationToken);
        // Counted before the slot is released, so the next guess in the queue already sees it.
        if (account is null)
        {
            NoteBackoff(credentials, address, throttle.RecordFailure(username, address));
            return SignInOutcome.AuthError;
        }

        throttle.RecordSuccess(username);
        return SignInOutcome.Success(new SignInIdentity(
            account.Username, account.RoleSet.ToArray(), credentials.CredentialType, null, null, version));
    }

    private async Task<SignInOutcome> CheckApiKeyAsync(SignInCredentials credentials, CancellationToken cancellationToken)
    {
        var check = await apiKeys.VerifyAsync(credentials.Secret, credentials.Username, signedIn.AccountVersion,
            cancellationToken);
        return check.Result == LoginResult.Success
            ? SignInOutcome.Success(new SignInIdentity(
                check.Username!, check.Roles, credentials.CredentialType, null, check.KeyId, check.AccountVersion))
            : new SignInOutcome(check.Result, check.Username is null ? null : Anonymous(check.Username));
    }

    private async Task<SignInOutcome> CheckTokenAsync(
        SignInCredentials credentials, IPAddress? address, CancellationToken cancellationToken)
    {
        // A token made for something else (a download's job, or any attrs) does not sign in, and is not used up.
        var madeForSomethingElse = false;
        var jobId = credentials.DownloadJobId;
        if (await tokens.TryUseAsync(credentials.Secret, address, candidate =>
                !(madeForSomethingElse = jobId is { } id ? !candidate.IsForJob(id) : candidate.Attributes.Count > 0),
                cancellationToken) is not var (info, hash))
        {
            return madeForSomethingElse ? new SignInOutcome(LoginResult.WrongPurpose) : SignInOutcome.AuthError;
        }

        var version = signedIn.AccountVersion(info.Username);
        var account = await accounts.FindAsync(info.Username, cancellationToken);
        if (account is null || account.Locked)
        {
            return new SignInOutcome(LoginResult.AuthError, Anonymous(info.Username));
        }

        // The token's roles, less any the account has lost since it was made.
        var roles = KnownRoles.Narrow(info.Roles, account.RoleSet);
        return SignInOutcome.Success(new SignInIdentity(
            account.Username, roles, credentials.CredentialType, jobId is null ? hash : null, null, version));
    }

    /// <summary>
    /// The kernel vouched for the peer (the Unix socket's door checked its uid); what is left to check is the
    /// account: root must exist and not be locked, and the session gets root's roles as they are now.
    /// </summary>
    private async Task<SignInOutcome> CheckUnixSocketPeerAsync(
        SignInCredentials credentials, CancellationToken cancellationToken)
    {
        var username = credentials.Username!;
        var version = signedIn.AccountVersion(username);
        var account = await accounts.FindAsync(username, cancellationToken);
        return account is null || account.Locked
            ? new SignInOutcome(LoginResult.AuthError, Anonymous(username))
            : SignInOutcome.Success(new SignInIdentity(
                account.Username, account.RoleSet.ToArray(), credentials.CredentialType, null, null, version));
    }

    /// <summary>A failed key or token counts against the address only (see the remarks).</summary>
    private SignInOutcome Count(SignInCredentials credentials, IPAddress? address, SignInOutcome outcome)
    {
        if (outcome.Result == LoginResult.AuthError)
        {
            NoteBackoff(credentials, address, throttle.RecordFailure(null, address));
        }

        return outcome;
    }

    private void NoteBackoff(SignInCredentials credentials, IPAddress? address, TimeSpan? backoff)
    {
        if (backoff is { } wait)
        {
            LogBackoffStarted(logger, credentials.Username ?? "", credentials.CredentialType, address?.ToString(),
                RateLimitExceeded.Seconds(wait));
        }
    }

    /// <summary>Logged at debug only: a guesser's every refused attempt would flood the log.</summary>
    private SignInOutcome Refused(SignInCredentials credentials, IPAddress? address, TimeSpan wait)
    {
        LogRefused(logger, credentials.Username ?? "", credentials.CredentialType, address?.ToString(),
            RateLimitExceeded.Seconds(wait));
        return SignInOutcome.RateLimited(wait);
    }

    /// <summary>Names the account a failure was about (for the log), granting nothing.</summary>
    private static SignInIdentity Anonymous(string username) => new(username, [], "", null, null, 0);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Too many failed sign-ins ({Username} with {Credential} from {RemoteAddress}): backing off for {BackoffSeconds} s")]
    private static partial void LogBackoffStarted(
        ILogger logger, string username, string credential, string? remoteAddress, int backoffSeconds);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Sign-in for {Username} with {Credential} from {RemoteAddress} refused unchecked: backing off for {RetryAfterSeconds} s")]
    private static partial void LogRefused(
        ILogger logger, string username, string credential, string? remoteAddress, int retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Password check from {RemoteAddress} refused: {Pending} already running or waiting")]
    private static partial void LogQueueFull(ILogger logger, string? remoteAddress, long pending);
}
