using JobServer.Storage.Providers;
using System.Net;
using JobServer.Auth;
using JobServer.Calls;
using JobServer.Configuration;
using JobServer.Events;
using JobServer.Hosting;
using JobServer.Jobs.Storage;
using JobServer.Protocol;
using JobServer.Protocol.WebSockets;
using JobServer.Sdk;
using JobServer.Services.Config;
using JobServer.Sessions;
using JobServer.Settings;
using JobServer.Storage;
using JobServer.Storage.Backup;
using JobServer.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Serilog.Events;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace JobServer.Tests.Config;

/// <summary>
/// A daemon-shaped data directory (both EF contexts migrated into one WAL database, as at start) with the config
/// service wired to real collaborators: settings, tokens, sessions, backups.
/// </summary>
internal sealed class ConfigHarness : IDisposable
{
    public const string RootPassword = "root-pw";

    public ConfigHarness()
    {
        Directory.CreateDirectory(DataDir);
        LivePath = Path.Combine(DataDir, "jobserver.db");
        Databases = new PooledDbContextFactory<JobServerDbContext>(
            new DbContextOptionsBuilder<JobServerDbContext>().UseSqlite($"Data Source={LivePath};Pooling=True")
                .UseProviderMigrations().Options);
        DatabaseInitializer.MigrateAsync(Databases, CancellationToken.None).GetAwaiter().GetResult();
        using (var jobs = new JobStoreDbContext(new DbContextOptionsBuilder<JobStoreDbContext>()
                   .UseSqlite($"Data Source={LivePath}",
                       sqlite => sqlite.MigrationsHistoryTable(JobStoreDbContext.MigrationsHistoryTable))
                   .UseProviderMigrations().Options))
        {
            jobs.Database.Migrate();
        }

        AddUser("root", Role.FullAdmin);
        Settings = new GeneralSettings(new GeneralConfig());
        var store = new GeneralSettingsStore(Databases, Settings, NullLogger<GeneralSettingsStore>.Instance);
        var applier = new RuntimeSettingsApplier(LevelSwitch, MsOptions.Create(new WebSocketLimits()),
            NullLogger<RuntimeSettingsApplier>.Instance);
        Settings.Changed += applier.Apply;
        Tokens = new TokenStore(Clock);
        SignedIn = new SignedInSessions(new EventHub(NullLogger<EventHub>.Instance), Sessions, Tokens, Clock);
        var options = MsOptions.Create(new JobServerOptions { DataDir = DataDir });
        Backups = new DatabaseBackups(options, Clock);
        var reloader = new ConfigReloader(Settings, store, Tokens, Sessions, SignedIn, NullLogger<ConfigReloader>.Instance);
        Service = new ConfigBackupService(Databases,
            new ConfigRestorer(Databases, Backups, reloader, NullLogger<ConfigRestorer>.Instance),
            options, JobServer.Storage.Providers.JobServerDatabase.Sqlite(Path.Combine(DataDir, "jobserver.db")),
            NullLogger<ConfigBackupService>.Instance);
        SettingsStore = store;
    }

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "jobserver-config-tests", Guid.NewGuid().ToString("N"));

    public string LivePath { get; }

    public string SpoolDir => Path.Combine(DataDir, "spool");

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-11-24T10:15:30Z",
        System.Globalization.CultureInfo.InvariantCulture));

    public IDbContextFactory<JobServerDbContext> Databases { get; }

    public GeneralSettings Settings { get; }

    public GeneralSettingsStore SettingsStore { get; }

    public LoggingLevelSwitch LevelSwitch { get; } = new(LogEventLevel.Information);

    public TokenStore Tokens { get; }

    public SessionRegistry Sessions { get; } = new();

    public SignedInSessions SignedIn { get; }

    public DatabaseBackups Backups { get; }

    public ConfigBackupService Service { get; }

    public void AddUser(string username, string roles = "", bool locked = false)
    {
        using var db = Databases.CreateDbContext();
        db.Users.Add(new UserAccount
        {
            Username = username,
            PasswordHash = PasswordHasher.Hash(RootPassword, 1000),
            Roles = roles,
            Locked = locked,
            CreatedAt = Clock.GetUtcNow(),
        });
        db.SaveChanges();
    }

    public List<string> Usernames(string? path = null)
    {
        using var connection = SqliteFiles.Open(SqliteFiles.ForFile(path ?? LivePath));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Username FROM users ORDER BY Id";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public long Count(string table, string? path = null)
    {
        using var connection = SqliteFiles.Open(SqliteFiles.ForFile(path ?? LivePath));
        return (long)SqliteFiles.Scalar(connection, $"SELECT count(*) FROM {SqliteFiles.Quote(table)}")!;
    }

    public void Sql(string sql, string? path = null)
    {
        using var connection = SqliteFiles.Open(SqliteFiles.ForFile(path ?? LivePath, SqliteOpenMode.ReadWriteCreate));
        SqliteFiles.Execute(connection, sql);
    }

    public void AddJobRow(string method) => Sql(
        "INSERT INTO jobs (Method, State, Transient, Abortable, TimeStarted, ArgumentsJson, PendingArgumentsJson, " +
        $"ProgressJson, MessageIdsJson) VALUES ('{method}', 'WAITING', 0, 0, '2026-11-24 10:00:00', '[]', " +
        "'[\"secret\"]', '{}', '[]')");

    /// <summary>Runs <c>config.save</c> and returns the file it wrote.</summary>
    public async Task<byte[]> SaveAsync()
    {
        using var output = new MemoryStream();
        await Service.Save(new FakeJobContext(output: output));
        return output.ToArray();
    }

    /// <summary>Runs <c>config.upload</c> with <paramref name="file"/> as the upload.</summary>
    public async Task<FakeJobContext> UploadAsync(byte[] file)
    {
        var job = new FakeJobContext(input: new MemoryStream(file));
        await Service.Upload(job);
        return job;
    }

    /// <summary>A session signed in as <paramref name="username"/> with a password.</summary>
    public Session SignIn(string username, params string[] roles)
    {
        var session = new Session(Guid.NewGuid().ToString("N"), IPAddress.Loopback, NullTransport.Instance);
        Sessions.Add(session);
        SignedIn.TrySignIn(session, new SignInIdentity(username, roles, "LOGIN_PASSWORD", null, null,
            SignedIn.AccountVersion(username))).Should().BeTrue();
        return session;
    }

    /// <summary>Writes bytes to a file in the data dir (a saved configuration to inspect).</summary>
    public string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(DataDir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        // Only this harness's pools: ClearAllPools is process-wide and would reach into the harnesses of test
        // classes running in parallel.
        foreach (var connectionString in new[] { $"Data Source={LivePath};Pooling=True", $"Data Source={LivePath}" })
        {
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; a test failing on it would hide the real failure.
        }
    }
}
