using System.Text.Json.Serialization;

namespace JobServer.Services.Config;

/// <summary>The <c>options</c> of <c>config.save</c>; unknown keys are refused as a validation error.</summary>
/// <param name="SecretSeed">
/// Upstream adds its secret seed (the key of its encrypted columns) and a tar around the database. JobServer has no
/// such key: passwords and API keys are stored only as one-way hashes inside the database, which is always in the
/// file, so the flag is accepted for compatibility and changes nothing (docs/config.md).
/// </param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ConfigSaveOptions(bool SecretSeed = false);
