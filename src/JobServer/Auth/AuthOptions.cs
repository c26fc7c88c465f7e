namespace JobServer.Auth;

/// <summary>Authentication settings (<c>JobServer:Auth</c>).</summary>
internal sealed class AuthOptions
{
    public const string Section = "JobServer:Auth";

    /// <summary>How long a failed login is held before it answers false, to slow password guessing.</summary>
    public int FailedLoginDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Default calls of one no-auth method an unauthenticated client address may make per window (middlewared's
    /// 20 per 60 s); <c>system.general</c> overrides it at run time. 0 turns the limit off.
    /// </summary>
    public int AnonymousRateLimit { get; set; } = 20;

    /// <summary>Default length of the anonymous rate-limit window, in seconds.</summary>
    public int AnonymousRateWindowSeconds { get; set; } = 60;

    /// <summary>PBKDF2 iterations for new password hashes.</summary>
    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;

    /// <summary>Wrong passwords for one account (from anywhere) before its sign-ins back off.</summary>
    public int AccountFailuresBeforeBackoff { get; set; } = 5;

    /// <summary>
    /// Failed sign-ins of any kind from one client address (an IPv6 client: its /64) before that address backs off.
    /// Higher than the account's: several people may share an address behind NAT.
    /// </summary>
    public int AddressFailuresBeforeBackoff { get; set; } = 20;

    /// <summary>The first back-off, in seconds; each further failure doubles it, up to <see cref="LockoutSeconds"/>.</summary>
    public int FirstBackoffSeconds { get; set; } = 1;

    /// <summary>
    /// The lock-out window: the longest back-off, and how long after its last back-off ended an account or address
    /// is forgiven (its failures forgotten).
    /// </summary>
    public int LockoutSeconds { get; set; } = 900;

    /// <summary>Password hashes computed at once; 0 means one less than the processor count (at least 1).</summary>
    public int PasswordHashConcurrency { get; set; }

    /// <summary>Password checks that may wait for a hash slot; beyond that a sign-in is refused at once.</summary>
    public int PasswordHashQueueLimit { get; set; } = 64;

    /// <summary>The hash concurrency in effect: the setting, or the processor count less one.</summary>
    public int EffectiveHashConcurrency =>
        PasswordHashConcurrency > 0 ? PasswordHashConcurrency : Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// How long an API key read from the database is trusted without reading it again (<see cref="VerifiedApiKeys"/>):
    /// changes through <c>api_key.update</c>/<c>delete</c> on this daemon take effect at once regardless; this bounds
    /// changes made elsewhere. 0 reads the database on every use.
    /// </summary>
    public int ApiKeyCacheSeconds { get; set; } = 10;

    public bool IsValid =>
        PasswordIterations >= 1000 && FailedLoginDelayMilliseconds >= 0 && AccountFailuresBeforeBackoff >= 1 &&
        AddressFailuresBeforeBackoff >= 1 && FirstBackoffSeconds >= 1 && LockoutSeconds >= FirstBackoffSeconds &&
        PasswordHashConcurrency >= 0 && PasswordHashQueueLimit >= 0 && ApiKeyCacheSeconds is >= 0 and <= 3600;
}
