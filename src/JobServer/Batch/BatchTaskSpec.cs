namespace JobServer.Batch;

/// <summary>One task to create: a checked batch entry for one of its destinations.</summary>
internal sealed record BatchTaskSpec(string Method, string Resource, string? Data, string Destination);
