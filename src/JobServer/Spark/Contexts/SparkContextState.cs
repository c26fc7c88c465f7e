namespace JobServer.Spark.Contexts;

/// <summary>A context's state as <c>GET /contexts/&lt;name&gt;</c> shows it (spark's context statuses).</summary>
internal enum SparkContextState
{
    /// <summary>Its process is up and takes jobs.</summary>
    Running,

    /// <summary><c>DELETE</c> or a reboot is stopping it: jobs posted to it get 409 "Context stop in progress".</summary>
    Stopping,
}
