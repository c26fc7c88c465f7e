namespace JobServer.Bench.Infrastructure;

/// <summary>
/// The daemon lacks what a scenario measures (the job engine, transfers). A --quick run reports the scenario as
/// skipped; a full run reports it as failed, so a missing feature is never mistaken for a figure.
/// </summary>
internal sealed class FeatureMissingException(string reason) : Exception(reason);
