namespace JobServer.Storage.Backup;

/// <summary>
/// A temporary database file under <c>&lt;data-dir&gt;/spool</c> (the data dir, not /tmp: it can be as large as the
/// database, and the daemon is known to be allowed to write there). Deleted, with any journal beside it, on dispose,
/// whether the job succeeded, failed or was aborted.
/// </summary>
internal sealed class SpoolFile : IDisposable
{
    private SpoolFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>A new, not yet existing, file name in <paramref name="spoolDirectory"/>.</summary>
    public static SpoolFile Create(string spoolDirectory, string prefix)
    {
        Directory.CreateDirectory(spoolDirectory);
        return new SpoolFile(System.IO.Path.Combine(spoolDirectory, $"{prefix}-{Guid.NewGuid():N}.db"));
    }

    public void Dispose() => SqliteFiles.Delete(Path);
}
