using System.Data.Common;
using JobServer.Auth;
using JobServer.Storage;
using JobServer.Storage.Providers;
using JobServer.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace JobServer.Tests.Auth;

/// <summary>
/// The root account on a database several daemons start on at once: the node that loses the race to create root
/// starts anyway and leaves the winner's account as it is.
/// </summary>
public sealed class RootAccountSeederTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"jobserver-seeder-{Guid.NewGuid():N}.db");
    private readonly RecordingLogger<RootAccountSeeder> _log = new();
    private readonly StringWriter _console = new();

    [Fact]
    public async Task AnotherNodeCreatesRootBetweenTheLookAndTheInsert_TheStartGoesOn_AndKeepsTheirAccount()
    {
        var otherNode = new InsertsRootFirst("their-hash");
        var seeder = Seeder(otherNode);

        await seeder.SeedAsync("our-password", CancellationToken.None);

        otherNode.Raced.Should().BeTrue("the race was played");
        await using var db = Contexts().CreateDbContext();
        (await db.Users.SingleAsync()).PasswordHash.Should().Be("their-hash");
        _log.Entries.Should().Contain(e => e.Message.Contains("created by another daemon", StringComparison.Ordinal));
        _console.ToString().Should().BeEmpty("no password of ours was made or shown");
    }

    [Fact]
    public async Task FirstStart_CreatesRootWithTheConfiguredPassword()
    {
        await Seeder().SeedAsync("our-password", CancellationToken.None);

        await using var db = Contexts().CreateDbContext();
        var root = await db.Users.SingleAsync();
        root.Username.Should().Be("root");
        PasswordHasher.Verify("our-password", root.PasswordHash).Should().BeTrue();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private RootAccountSeeder Seeder(params IInterceptor[] interceptors)
    {
        var databases = Contexts(interceptors);
        DatabaseInitializer.MigrateAsync(databases, CancellationToken.None).GetAwaiter().GetResult();
        var accounts = new AccountStore(databases, MsOptions.Create(new AuthOptions { PasswordIterations = 1000 }),
            new FakeTimeProvider());
        return new RootAccountSeeder(accounts, new OperatorConsole(_console), _log);
    }

    private PooledDbContextFactory<JobServerDbContext> Contexts(params IInterceptor[] interceptors) =>
        new(new DbContextOptionsBuilder<JobServerDbContext>().UseSqlite($"Data Source={_path}")
            .UseProviderMigrations().AddInterceptors(interceptors).Options);

    /// <summary>Plays the other node: just before our first insert into users, its own root row lands.</summary>
    private sealed class InsertsRootFirst(string theirHash) : DbCommandInterceptor
    {
        public bool Raced { get; private set; }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command,
            CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (!Raced && command.CommandText.Contains("INSERT INTO \"users\"", StringComparison.Ordinal))
            {
                Raced = true;
                await using var theirs = command.Connection!.CreateCommand();
                theirs.Transaction = command.Transaction;
                theirs.CommandText = "INSERT INTO users (Username, PasswordHash, FullName, Roles, Locked, CreatedAt) " +
                                     $"VALUES ('root', '{theirHash}', 'Administrator', 'FULL_ADMIN', 0, 0)";
                await theirs.ExecuteNonQueryAsync(cancellationToken);
            }

            return result;
        }
    }
}
