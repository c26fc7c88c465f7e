using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace JobServer.Storage.Providers;

/// <summary>
/// The one place that knows which database the daemon uses: <c>ConnectionStrings:JobServer</c> set (an Npgsql
/// connection string) selects PostgreSQL for every EF context; unset, each context uses SQLite in the data
/// directory as before. Contexts configure themselves through <see cref="Configure"/>, so a context added later
/// gets both providers with one registration (<see cref="DbContextServiceCollectionExtensions"/>) and a
/// PostgreSQL migration set beside its SQLite one (<see cref="ProviderMigrationsAssembly"/>).
/// </summary>
internal sealed class JobServerDatabase
{
    public const string ConnectionStringName = "JobServer";

    private JobServerDatabase(DatabaseKind kind, string connectionString)
    {
        Kind = kind;
        ConnectionString = connectionString;
    }

    public DatabaseKind Kind { get; }

    public bool IsPostgreSql => Kind == DatabaseKind.PostgreSql;

    /// <summary>The ADO.NET connection string (SQLite: the data directory's <c>jobserver.db</c>, pooled).</summary>
    public string ConnectionString { get; }

    /// <summary>Picks the provider from the configuration; <paramref name="sqlitePath"/> is used when none is set.</summary>
    public static JobServerDatabase From(IConfiguration configuration, string sqlitePath)
    {
        var postgres = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(postgres))
        {
            return Sqlite(sqlitePath);
        }

        // Parsed now so a malformed string stops the start with Npgsql's own message, not at the first query.
        _ = new NpgsqlConnectionStringBuilder(postgres);
        return new JobServerDatabase(DatabaseKind.PostgreSql, postgres);
    }

    public static JobServerDatabase Sqlite(string path) =>
        new(DatabaseKind.Sqlite, $"Data Source={path};Pooling=True");

    public static JobServerDatabase PostgreSql(string connectionString) =>
        new(DatabaseKind.PostgreSql, connectionString);

    /// <summary>
    /// Points an EF context at the chosen database, with its own migration history table and the migration set
    /// of that provider.
    /// </summary>
    public void Configure(DbContextOptionsBuilder builder, string historyTable = HistoryRepository.DefaultTableName)
    {
        if (IsPostgreSql)
        {
            builder.UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsHistoryTable(historyTable));
        }
        else
        {
            builder.UseSqlite(ConnectionString, sqlite => sqlite.MigrationsHistoryTable(historyTable));
        }

        builder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    /// <summary>
    /// For <c>dotnet ef</c>: <c>-- --provider PostgreSql</c> after the command picks the PostgreSQL model
    /// (a placeholder server; scaffolding never connects), anything else SQLite.
    /// </summary>
    public static JobServerDatabase ForDesignTime(string[] args) =>
        args.SkipWhile(a => a != "--provider").Skip(1).FirstOrDefault() is { } provider &&
        provider.Equals(nameof(DatabaseKind.PostgreSql), StringComparison.OrdinalIgnoreCase)
            ? PostgreSql("Host=localhost;Database=design")
            : Sqlite("design.db");
}
