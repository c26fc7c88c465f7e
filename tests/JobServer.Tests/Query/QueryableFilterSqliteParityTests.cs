using System.Text.Json.Nodes;
using JobServer.Sdk.Query;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Tests.Query;

/// <summary>
/// The same queries against a real SQLite database through EF Core: the push-down must translate (EF throws on
/// what it cannot) and give what the in-memory engine gives over the same rows read back.
/// </summary>
public sealed class QueryableFilterSqliteParityTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ParityDbContext _context;

    public QueryableFilterSqliteParityTests()
    {
        _connection.Open();
        _context = new ParityDbContext(new DbContextOptionsBuilder<ParityDbContext>().UseSqlite(_connection).Options);
        _context.Database.EnsureCreated();
        _context.Entities.AddRange(ParityEntity.Create());
        _context.SaveChanges();
        _context.ChangeTracker.Clear();
    }

    [Theory]
    [MemberData(nameof(ParityCases.All), MemberType = typeof(ParityCases))]
    public void Execute_OverSqlite_MatchesInMemoryEngine(string filtersJson, string optionsJson, bool translated)
    {
        var filters = QueryTestRows.Filters(filtersJson);
        var options = ParityCases.Options(optionsJson);
        var rows = ParityCases.Serialize(_context.Entities.AsNoTracking().OrderBy(e => e.Id).ToList());

        var expected = ParityCases.Run(() => QueryEngine.Apply(rows, filters, options));
        var actual = ParityCases.Run(() => QueryableFilter.Execute(_context.Entities.AsNoTracking(), filters, options));

        JsonNode.DeepEquals(actual, expected).Should().BeTrue(
            "SQL {0} should equal in-memory {1}", actual?.ToJsonString(), expected?.ToJsonString());
        QueryableFilter.Translate(_context.Entities, filters, options).IsFullyTranslated.Should().Be(translated);
    }

    public void Dispose()
    {
        _context.Dispose();
        _connection.Dispose();
    }
}
