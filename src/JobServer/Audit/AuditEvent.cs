namespace JobServer.Audit;

/// <summary>An audit event on its way to the table (see <c>Storage.AuditRecord</c> for the fields).</summary>
internal sealed record AuditEvent(
    DateTimeOffset Time, string Event, string? Username, string? Credential, string? Method, string? Address,
    bool Success, string? Error, string? Arguments)
{
    public const string SignInEvent = "SIGN_IN";
    public const string CallEvent = "CALL";
}
