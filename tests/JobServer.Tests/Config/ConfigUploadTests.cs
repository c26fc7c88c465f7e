using JobServer.Storage.Providers;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Services.Config;
using JobServer.Storage;
using JobServer.Storage.Backup;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace JobServer.Tests.Config;

public sealed class ConfigUploadTests : IDisposable
{
    private readonly ConfigHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Upload_SavedConfiguration_RestoresAccountsKeysAndSettings()
    {
        _harness.Sql("""INSERT INTO settings (Key, Value) VALUES ('system.general', '{"log_level":"Debug"}')""");
        var saved = await _harness.SaveAsync();
        _harness.AddUser("later");
        _harness.Sql("""UPDATE settings SET Value = '{"log_level":"Error"}'""");
        _harness.Sql("INSERT INTO api_keys (Name, Username, Roles, KeyHash, CreatedAt, Revoked) " +
                     "VALUES ('k', 'root', '', 'h', 0, 0)");

        var job = await _harness.UploadAsync(saved);

        _harness.Usernames().Should().Equal("root");
        _harness.Count("api_keys").Should().Be(0);
        _harness.Settings.Current.LogLevel.Should().Be("Debug", "system.general is re-read and applied");
        _harness.LevelSwitch.MinimumLevel.Should().Be(Serilog.Events.LogEventLevel.Debug);
        job.Progress[^1].Percent.Should().Be(100);
    }

    [Fact]
    public async Task Upload_Success_KeepsTheJobHistory()
    {
        var saved = await _harness.SaveAsync();
        _harness.AddJobRow("history.job");

        await _harness.UploadAsync(saved);

        _harness.Count("jobs").Should().Be(1);
    }

    [Fact]
    public async Task Upload_Success_KeepsABackupOfThePreviousDatabase()
    {
        var saved = await _harness.SaveAsync();
        _harness.AddUser("later");

        await _harness.UploadAsync(saved);

        var backup = Path.Combine(_harness.DataDir, "backups", "jobserver-20261124-101530.db");
        File.Exists(backup).Should().BeTrue();
        _harness.Usernames(backup).Should().Equal("root", "later");
        Directory.EnumerateFiles(_harness.SpoolDir).Should().BeEmpty();
    }

    [Fact]
    public async Task Upload_TwiceInOneSecond_KeepsTwoBackups()
    {
        var saved = await _harness.SaveAsync();

        await _harness.UploadAsync(saved);
        await _harness.UploadAsync(saved);

        Directory.EnumerateFiles(Path.Combine(_harness.DataDir, "backups")).Select(Path.GetFileName).Should()
            .BeEquivalentTo("jobserver-20261124-101530.db", "jobserver-20261124-101530-2.db");
    }

    [Fact]
    public async Task Upload_Success_RevokesTokensAndSignsOutRemovedOrLockedAccounts()
    {
        _harness.AddUser("kept", Role.ReadonlyAdmin);
        _harness.AddUser("locked", Role.ReadonlyAdmin);
        var saved = await SavedWithAsync("UPDATE users SET Locked = 1 WHERE Username = 'locked'");
        _harness.AddUser("later", Role.ReadonlyAdmin);
        var kept = _harness.SignIn("kept", Role.ReadonlyAdmin);
        var locked = _harness.SignIn("locked", Role.ReadonlyAdmin);
        var later = _harness.SignIn("later", Role.ReadonlyAdmin);
        var promoted = _harness.SignIn("root", Role.FullAdmin);
        _harness.Tokens.Generate(new JobServer.Auth.TokenInfo("kept", new HashSet<string>(), [], kept.SessionId, null, false,
            TimeSpan.FromMinutes(5)));

        await _harness.UploadAsync(saved);

        _harness.Tokens.Count.Should().Be(0);
        kept.IsAuthenticated.Should().BeTrue();
        promoted.IsAuthenticated.Should().BeTrue();
        locked.IsAuthenticated.Should().BeFalse();
        later.IsAuthenticated.Should().BeFalse();
    }

    [Fact]
    public async Task Upload_AccountLostARole_SignsItsSessionOut()
    {
        _harness.AddUser("admin2", Role.FullAdmin);
        var saved = await SavedWithAsync("UPDATE users SET Roles = 'READONLY_ADMIN' WHERE Username = 'admin2'");
        var session = _harness.SignIn("admin2", Role.FullAdmin);

        await _harness.UploadAsync(saved);

        session.IsAuthenticated.Should().BeFalse();
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public async Task Upload_NotADatabase_IsRefusedAndChangesNothing(byte[] file)
    {
        var junk = file.Length == 0 ? file : Enumerable.Repeat(file, 1000).SelectMany(b => b).ToArray();

        await ExpectRefusalAsync(junk, UploadedConfiguration.NotAJobServerDatabase);
    }

    [Fact]
    public async Task Upload_SqliteWithoutMigrationHistory_IsNotAJobServerDatabase()
    {
        var path = Path.Combine(_harness.DataDir, "other.db");
        _harness.Sql("CREATE TABLE users (Id INTEGER PRIMARY KEY, Username TEXT);", path);

        await ExpectRefusalAsync(await File.ReadAllBytesAsync(path), UploadedConfiguration.NotAJobServerDatabase);
    }

    [Fact]
    public async Task Upload_NewerSchema_IsRefused()
    {
        var saved = await SavedWithAsync("INSERT INTO __EFMigrationsHistory VALUES ('29990101000000_FromTheFuture', '99.0.0')");

        await ExpectRefusalAsync(saved, "29990101000000_FromTheFuture");
    }

    [Fact]
    public async Task Upload_NoUnlockedFullAdmin_IsRefused()
    {
        var saved = await SavedWithAsync("UPDATE users SET Locked = 1");

        await ExpectRefusalAsync(saved, "FULL_ADMIN");
    }

    [Fact]
    public async Task Upload_OlderSchema_IsMigratedForwardAndImported()
    {
        var path = Path.Combine(_harness.DataDir, "old.db");
        await using (var old = new JobServerDbContext(new DbContextOptionsBuilder<JobServerDbContext>()
                         .UseSqlite(SqliteFiles.ForFile(path, Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate)).UseProviderMigrations().Options))
        {
            var first = old.Database.GetMigrations().First();
            await old.GetService<IMigrator>().MigrateAsync(first);
        }

        _harness.Sql("INSERT INTO users (Username, PasswordHash, FullName, Roles, Locked, CreatedAt) " +
                     "VALUES ('oldroot', 'x', '', 'FULL_ADMIN', 0, 0)", path);
        _harness.Sql("INSERT INTO api_keys (Name, Username, Roles, KeyHash, CreatedAt, Revoked) " +
                     "VALUES ('k', 'root', '', 'h', 0, 0)");

        await _harness.UploadAsync(await File.ReadAllBytesAsync(path));

        _harness.Usernames().Should().Equal("oldroot");
        _harness.Count("api_keys").Should().Be(0, "the old schema had no API keys");
    }

    /// <summary>A saved configuration changed by <paramref name="sql"/> (run on the saved file, not the live one).</summary>
    private async Task<byte[]> SavedWithAsync(string sql)
    {
        var path = _harness.WriteFile($"saved-{Guid.NewGuid():N}.db", await _harness.SaveAsync());
        _harness.Sql(sql, path);
        return await File.ReadAllBytesAsync(path);
    }

    private async Task ExpectRefusalAsync(byte[] file, string reason)
    {
        _harness.AddUser("present");
        _harness.Sql("INSERT INTO settings (Key, Value) VALUES ('present', '{}')");

        var upload = () => _harness.UploadAsync(file);

        (await upload.Should().ThrowAsync<ValidationException>()).Which.Message.Should().Contain(reason);
        _harness.Usernames().Should().Equal("root", "present");
        Directory.Exists(Path.Combine(_harness.DataDir, "backups")).Should().BeFalse("validation fails before the backup");
        _harness.Count("settings").Should().Be(1);
        Directory.EnumerateFiles(_harness.SpoolDir).Should().BeEmpty();
    }
}
