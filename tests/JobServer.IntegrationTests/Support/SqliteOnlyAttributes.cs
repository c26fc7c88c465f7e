using JobServer.Probes;

namespace JobServer.IntegrationTests.Support;

/// <summary>
/// A test of a SQLite-only piece (the database file itself, host-side verbs that open it): skipped, with the
/// reason, when the suite runs on PostgreSQL (<see cref="TestDatabases"/>).
/// </summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string reason)
    {
        if (TestDatabases.UsePostgres)
        {
            Skip = $"SQLite only: {reason}";
        }
    }
}

/// <summary>The <see cref="TheoryAttribute"/> of <see cref="SqliteOnlyFactAttribute"/>.</summary>
public sealed class SqliteOnlyTheoryAttribute : TheoryAttribute
{
    public SqliteOnlyTheoryAttribute(string reason)
    {
        if (TestDatabases.UsePostgres)
        {
            Skip = $"SQLite only: {reason}";
        }
    }
}

/// <summary>
/// A test of several daemons on one database (issue 18's cluster): PostgreSQL only, so it runs in the suite's
/// PostgreSQL pass (<c>JOBSERVER_TEST_POSTGRES</c>) and is skipped, with the reason, on SQLite.
/// </summary>
public sealed class PostgresOnlyFactAttribute : FactAttribute
{
    public PostgresOnlyFactAttribute()
    {
        if (!TestDatabases.UsePostgres)
        {
            Skip = $"PostgreSQL only: several daemons share one database (set {TestDatabases.Variable})";
        }
    }
}
