namespace JobServer.Sdk.Query;

/// <summary>One parsed <c>select</c> entry: <c>"a.b"</c> keeps the nesting, <c>["a.b", "name"]</c> renames.</summary>
internal sealed record SelectEntry(FieldPath Path, string? Rename);
