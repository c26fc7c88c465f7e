using JobServer.Sdk;
using JobServer.Sdk.Spark;

namespace JobServer.Spark.Jobs;

/// <summary>What a running Spark job sees of itself (<see cref="ISparkJobContext"/>), inside its worker.</summary>
internal sealed class SparkJobContext(string jobId, string contextName, IJobContext job) : ISparkJobContext
{
    public string JobId { get; } = jobId;

    public string ContextName { get; } = contextName;

    public IJobContext Job { get; } = job;
}
