using System.Text.Json.Serialization;

namespace JobServer.Services.Filesystem;

/// <summary>The <c>options</c> of <c>filesystem.copy</c>.</summary>
/// <param name="Overwrite">Replace an existing destination file (atomically); without it an existing one is EEXIST.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record CopyOptions(bool Overwrite = false);
