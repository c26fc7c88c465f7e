using System.Text.Json.Serialization;

namespace JobServer.Services.ApiKeys;

/// <summary>The payload of <c>api_key.create</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ApiKeyCreate
{
    public required string Name { get; init; }

    /// <summary>The key's roles, each held by the caller; null for all of the caller's roles.</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>When the key stops working; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
