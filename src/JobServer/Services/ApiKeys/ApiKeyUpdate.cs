using System.Text.Json.Serialization;

namespace JobServer.Services.ApiKeys;

/// <summary>The payload of <c>api_key.update</c>: rename, revoke (for good) or move the expiry.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ApiKeyUpdate
{
    public string? Name { get; init; }

    /// <summary>True revokes the key; a revoked key cannot be restored.</summary>
    public bool? Revoked { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
