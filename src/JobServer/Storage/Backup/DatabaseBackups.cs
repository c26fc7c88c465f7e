using System.Globalization;
using JobServer.Configuration;
using Microsoft.Extensions.Options;

namespace JobServer.Storage.Backup;

/// <summary>
/// Copies of the live database kept in <c>&lt;data-dir&gt;/backups</c> before something replaces its contents
/// (<c>config.upload</c>), named <c>jobserver-&lt;UTC yyyyMMdd-HHmmss&gt;.db</c>. They are never pruned: they are
/// rare, small, and the only way back from a wrong upload.
/// </summary>
internal sealed class DatabaseBackups(IOptions<JobServerOptions> options, TimeProvider time)
{
    public string DirectoryPath => options.Value.DataPath("backups");

    /// <summary>Copies the live database (online backup) into a new backup file; returns its path.</summary>
    public string Keep(string liveConnectionString)
    {
        var path = Reserve();
        try
        {
            DatabaseSnapshot.Copy(liveConnectionString, path);
            return path;
        }
        catch
        {
            SqliteFiles.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Creates the file exclusively (an empty file is an empty SQLite database), so two backups in the same second
    /// get different names instead of overwriting each other.
    /// </summary>
    private string Reserve()
    {
        Directory.CreateDirectory(DirectoryPath);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var path = Path.Combine(DirectoryPath, n == 1 ? $"jobserver-{stamp}.db" : $"jobserver-{stamp}-{n}.db");
            try
            {
                new FileStream(path, FileMode.CreateNew, FileAccess.Write).Dispose();
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Taken: try the next suffix.
            }
        }
    }
}
