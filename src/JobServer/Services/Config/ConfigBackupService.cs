using System.ComponentModel;
using JobServer.Configuration;
using JobServer.Sdk;
using JobServer.Storage;
using JobServer.Storage.Backup;
using JobServer.Storage.Providers;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Services.Config;

/// <summary>
/// <c>config.save</c> and <c>config.upload</c>: the daemon's database as a downloadable file, and restoring the
/// accounts, API keys and settings from such a file while the daemon runs (docs/config.md).
/// </summary>
[Namespace("config")]
internal sealed partial class ConfigBackupService(
    IDbContextFactory<JobServerDbContext> databases,
    ConfigRestorer restorer,
    IOptions<JobServerOptions> serverOptions,
    JobServerDatabase database,
    ILogger<ConfigBackupService> logger) : Service
{
    /// <summary>
    /// config.save and config.upload exchange SQLite files; on PostgreSQL the database is backed up and restored
    /// with the server's own tools (pg_dump / pg_restore, docs/cluster.md).
    /// </summary>
    private void RequireSqlite(string method)
    {
        if (database.IsPostgreSql)
        {
            throw new CallError($"{method} works on the SQLite store only; this daemon keeps its data in " +
                                "PostgreSQL: back it up with pg_dump (docs/cluster.md)", Errno.ENOTSUP);
        }
    }

    private string SpoolDirectory => serverOptions.Value.DataPath("spool");

    [Job(Pipes = JobPipes.Output, Description = "Save the configuration")]
    [Description("Writes a consistent copy of the daemon's database (accounts, API keys, settings; no job history) " +
                 "to the job's output; use core.download. options: {secret_seed: bool}, accepted for compatibility.")]
    public async Task Save(IJobContext job, ConfigSaveOptions? options = null)
    {
        RequireSqlite("config.save");
        using var spool = SpoolFile.Create(SpoolDirectory, "config-save");
        job.SetProgress(0, "Taking a snapshot of the database");
        string live;
        await using (var db = await databases.CreateDbContextAsync(job.Aborted))
        {
            live = db.Database.GetConnectionString()
                   ?? throw new InvalidOperationException("The daemon's database has no connection string");
        }

        SavedConfiguration.Write(live, spool.Path);
        job.Aborted.ThrowIfCancellationRequested();

        long written;
        await using (var file = new FileStream(spool.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1,
                         FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            var length = Math.Max(file.Length, 1);
            job.SetProgress(10, "Sending the database");
            written = await ProgressCopy.CopyAsync(file, job.Output,
                sent => job.SetProgress(10 + (int)(90 * sent / length), $"Sent {sent} of {length} bytes"), job.Aborted);
        }

        job.SetProgress(100, "Saved");
        LogSaved(logger, job.JobId, written, options?.SecretSeed ?? false);
    }

    [Job(Pipes = JobPipes.Input, Lock = "config.upload", Description = "Restore an uploaded configuration")]
    [Description("Restores accounts, API keys and settings from a file made by config.save (send it with /_upload). " +
                 "The current database is kept in <data-dir>/backups first; job history is not replaced.")]
    public async Task Upload(IJobContext job)
    {
        if (database.IsPostgreSql)
        {
            // Read to the end first, so the uploader gets its answer instead of a connection reset mid-send.
            await job.Input.CopyToAsync(Stream.Null, job.Aborted);
            RequireSqlite("config.upload");
        }

        using var spool = SpoolFile.Create(SpoolDirectory, "config-upload");
        job.SetProgress(0, "Receiving the upload");
        long received;
        await using (var file = new FileStream(spool.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                         FileOptions.Asynchronous))
        {
            // The size is unknown until the end: the description counts bytes, the percent stays put.
            received = await ProgressCopy.CopyAsync(job.Input, file,
                bytes => job.SetProgress(null, $"Received {bytes} bytes"), job.Aborted);
        }

        LogReceived(logger, job.JobId, received);
        var backup = await restorer.RestoreAsync(spool.Path, job, job.Aborted);
        job.SetProgress(100, $"Restored; the previous database is kept in {backup}");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Job {JobId}: configuration saved, {Bytes} bytes (secret_seed {SecretSeed}: nothing more to add)")]
    private static partial void LogSaved(ILogger logger, long jobId, long bytes, bool secretSeed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: received a configuration upload of {Bytes} bytes")]
    private static partial void LogReceived(ILogger logger, long jobId, long bytes);
}
