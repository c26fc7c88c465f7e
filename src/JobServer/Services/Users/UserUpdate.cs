using System.Text.Json.Serialization;
using JobServer.Sdk;

namespace JobServer.Services.Users;

/// <summary>The payload of <c>user.update</c>: the fields given change, the others keep their values.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record UserUpdate
{
    public string? Username { get; init; }

    [Secret]
    public string? Password { get; init; }

    public string? FullName { get; init; }

    public IReadOnlyList<string>? Roles { get; init; }

    public bool? Locked { get; init; }
}
