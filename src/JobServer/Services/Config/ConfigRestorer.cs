using JobServer.Sdk;
using JobServer.Storage;
using JobServer.Storage.Backup;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Services.Config;

/// <summary>
/// <c>config.upload</c>'s work once the file is spooled: validate and migrate the copy, keep a backup of the live
/// database, import the configuration tables in one transaction, then make the running daemon follow.
/// </summary>
internal sealed partial class ConfigRestorer(
    IDbContextFactory<JobServerDbContext> databases,
    DatabaseBackups backups,
    ConfigReloader reloader,
    ILogger<ConfigRestorer> logger)
{
    /// <summary>Restores the configuration in <paramref name="uploadPath"/>; returns the backup's path.</summary>
    public async Task<string> RestoreAsync(string uploadPath, IJobContext job, CancellationToken cancellationToken)
    {
        string live;
        IReadOnlyList<ConfigTable> tables;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            live = db.Database.GetConnectionString()
                   ?? throw new InvalidOperationException("The daemon's database has no connection string");
            tables = ConfigTable.From(db.Model);
        }

        job.SetProgress(40, "Checking the uploaded database");
        var accounts = await UploadedConfiguration.PrepareAsync(uploadPath, tables, cancellationToken);

        job.SetProgress(60, "Keeping a backup of the current database");
        var backup = backups.Keep(live);
        LogBackupKept(logger, job.JobId, backup);
        cancellationToken.ThrowIfCancellationRequested();

        job.SetProgress(75, "Replacing accounts, API keys and settings");
        var previous = ConfigImport.Replace(live, uploadPath, tables);

        // Committed: from here an abort must not leave the daemon running on the old settings and tokens.
        job.SetProgress(90, "Applying the restored configuration");
        await reloader.ReloadAsync(previous, accounts, CancellationToken.None);
        LogRestored(logger, job.JobId, accounts.Count, previous.Count);
        return backup;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: the database was backed up to {Path}")]
    private static partial void LogBackupKept(ILogger logger, long jobId, string path);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Job {JobId}: configuration restored from an upload ({Accounts} account(s), {Previous} before)")]
    private static partial void LogRestored(ILogger logger, long jobId, int accounts, int previous);
}
