using System.Text.Json.Nodes;

namespace JobServer.Jobs;

/// <summary>
/// How a running job calls another method: through the daemon's one call pipeline, as the job's stored caller
/// (its rights, never more). Implemented beside the Dispatcher (<c>Dispatch/JobCalls</c>); the engine only knows
/// this seam, so <c>Jobs/</c> does not depend on <c>Dispatch/</c>.
/// </summary>
internal interface IJobCalls
{
    /// <summary>The method's result, or — for a job method — its job's result; its error is thrown as a client would get it.</summary>
    Task<JsonNode?> CallAsync(JobCaller owner, string method, JsonArray? parameters, CancellationToken cancellationToken);
}
