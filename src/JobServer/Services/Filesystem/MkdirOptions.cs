using System.Text.Json.Serialization;

namespace JobServer.Services.Filesystem;

/// <summary>The <c>options</c> of <c>filesystem.mkdir</c>.</summary>
/// <param name="Mode">Permissions as an octal string (<c>"755"</c>), as upstream; default: the daemon's umask.</param>
/// <param name="Parents">Create missing parent directories too (<c>mkdir -p</c>).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record MkdirOptions(string? Mode = null, bool Parents = false);
