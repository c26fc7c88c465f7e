namespace JobServer.Storage;

/// <summary>
/// One stored audit event (<c>audit</c> table): a sign-in or a call that changes state, who made it, from where,
/// and how it ended. Written by <c>Audit.AuditWriter</c>, read by <c>audit.query</c> as it is (its fields are the wire fields).
/// </summary>
internal sealed class AuditRecord
{
    public long Id { get; set; }

    public DateTimeOffset Time { get; set; }

    /// <summary><c>SIGN_IN</c> or <c>CALL</c>.</summary>
    public required string Event { get; set; }

    public string? Username { get; set; }

    /// <summary>How the caller signed in (<c>LOGIN_PASSWORD</c>, <c>API_KEY</c>, <c>TOKEN</c>).</summary>
    public string? Credential { get; set; }

    public string? Method { get; set; }

    public string? Address { get; set; }

    public bool Success { get; set; }

    /// <summary>Why it failed: the error's name (<c>EPERM</c>, <c>EINVAL</c>…) or the sign-in's result.</summary>
    public string? Error { get; set; }

    /// <summary>The call's arguments as JSON, <c>[Secret]</c> ones masked, cut at 2,000 characters.</summary>
    public string? Arguments { get; set; }
}
