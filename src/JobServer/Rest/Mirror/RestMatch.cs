namespace JobServer.Rest.Mirror;

/// <summary>A request's route and item id; or, when none matched, the verbs its path does take (for a 405).</summary>
internal readonly record struct RestMatch(RestRoute? Route, string? Id, string[]? AllowedVerbs);
