using JobServer.Storage.Backup;

namespace JobServer.Services.Config;

/// <summary>The file <c>config.save</c> hands out: a snapshot of the live database without the job history.</summary>
internal static class SavedConfiguration
{
    /// <summary>The job engine's table (JobStoreDbContext), in the same database file.</summary>
    private const string JobsTable = "jobs";

    /// <summary>
    /// Takes the snapshot, then empties the jobs table of the copy and vacuums it (so the rows are gone from the
    /// file, not just unlinked): waiting jobs keep their unredacted arguments until they start, which must not
    /// leave the machine in a downloaded file, and <c>config.upload</c> never restores job history anyway.
    /// </summary>
    public static void Write(string liveConnectionString, string path)
    {
        DatabaseSnapshot.Copy(liveConnectionString, path);
        using var copy = SqliteFiles.Open(SqliteFiles.ForFile(path));
        if (SqliteFiles.HasTable(copy, JobsTable))
        {
            SqliteFiles.Execute(copy, $"DELETE FROM {SqliteFiles.Quote(JobsTable)};");
            SqliteFiles.Execute(copy, "VACUUM;");
        }
    }
}
