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
