using System.Text.Json.Serialization;
using JobServer.Sdk;

namespace JobServer.Services.Users;

/// <summary>The payload of <c>user.create</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record UserCreate
{
    public required string Username { get; init; }

    [Secret]
    public required string Password { get; init; }

    public string FullName { get; init; } = "";

    /// <summary>FULL_ADMIN, READONLY_ADMIN, or none for a plain user.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public bool Locked { get; init; }
}
