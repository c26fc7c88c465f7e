namespace JobServer.Spark.Jobs;

/// <summary>
/// A job's class could not be made ready: <see cref="ClassNotFound"/> is spark's 404
/// <c>classPath &lt;class&gt; not found</c>, anything else its 400 <c>JOB LOADING FAILED</c>.
/// </summary>
internal sealed class SparkJobLoadException(string message, bool classNotFound, Exception? inner = null)
    : Exception(message, inner)
{
    public bool ClassNotFound { get; } = classNotFound;
}
