namespace JobServer.Sdk;

/// <summary>The built-in roles.</summary>
public static class Role
{
    /// <summary>May call everything and see every job.</summary>
    public const string FullAdmin = "FULL_ADMIN";

    /// <summary>May call every <c>query</c>, <c>get_*</c> and <c>config</c> method and see every job; changes nothing.</summary>
    public const string ReadonlyAdmin = "READONLY_ADMIN";

    /// <summary>Pseudo-role every authenticated session holds: a plain user runs and sees only their own jobs.</summary>
    public const string Authenticated = "AUTHENTICATED";

    /// <summary>
    /// A limit, not a grant: a device agent's API key. Its holder may call only the methods that name this role
    /// (<c>batch.agent.*</c>), and only its holders may call those — <see cref="FullAdmin"/> does not grant them, so
    /// an admin credential cannot pose as a device.
    /// </summary>
    public const string BatchAgent = "BATCH_AGENT";
}
