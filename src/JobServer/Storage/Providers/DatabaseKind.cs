namespace JobServer.Storage.Providers;

/// <summary>Which database the daemon keeps its state in.</summary>
internal enum DatabaseKind
{
    /// <summary>The embedded default: <c>jobserver.db</c> in the data directory, owned by one daemon.</summary>
    Sqlite,

    /// <summary>Selected by <c>ConnectionStrings:JobServer</c>: a server several daemons may share (issue 18).</summary>
    PostgreSql,
}
