using System.Linq.Expressions;
using JobServer.Storage;

namespace JobServer.Services.Audit;

/// <summary>An audit event as <c>audit.query</c> shows it; an EF Core projection, so filters run in SQL.</summary>
internal sealed record AuditEntry
{
    public long Id { get; init; }

    public DateTimeOffset Time { get; init; }

    /// <summary><c>SIGN_IN</c> or <c>CALL</c>.</summary>
    public required string Event { get; init; }

    public string? Username { get; init; }

    public string? Credential { get; init; }

    public string? Method { get; init; }

    public string? Address { get; init; }

    public bool Success { get; init; }

    public string? Error { get; init; }

    /// <summary>The call's arguments as JSON text, <c>[Secret]</c> ones masked.</summary>
    public string? Arguments { get; init; }

    public static readonly Expression<Func<AuditRecord, AuditEntry>> Projection = a => new AuditEntry
    {
        Id = a.Id,
        Time = a.Time,
        Event = a.Event,
        Username = a.Username,
        Credential = a.Credential,
        Method = a.Method,
        Address = a.Address,
        Success = a.Success,
        Error = a.Error,
        Arguments = a.Arguments,
    };
}
