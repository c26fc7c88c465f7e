using System.Text.Json.Serialization;

namespace JobServer.Services.Filesystem;

/// <summary>The <c>options</c> of <c>filesystem.put</c>.</summary>
/// <param name="Append">Add the upload to the end of the existing file (still replaced atomically).</param>
/// <param name="Mode">Permissions of the written file as an octal string (<c>"600"</c>); default: the replaced
/// file's, or the daemon's umask for a new file.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record PutOptions(bool Append = false, string? Mode = null);
