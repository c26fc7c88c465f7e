using JobServer.Storage.Providers;
using System.Text.Json.Nodes;
using JobServer.Sdk.Query;
using JobServer.Services.Users;
using JobServer.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Tests.Auth;

/// <summary>
/// <c>user.query</c>'s projection over the real schema: filters on its scalar fields become SQL (so a query over
/// 100,000 accounts reads only the matches), the others run in memory over what SQL returned.
/// </summary>
public sealed class UserQueryPushDownTests : IDisposable
{
    private const int Accounts = 100_000;
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly JobServerDbContext _db;

    public UserQueryPushDownTests()
    {
        _connection.Open();
        _db = new JobServerDbContext(new DbContextOptionsBuilder<JobServerDbContext>().UseSqlite(_connection).UseProviderMigrations().Options);
        _db.Database.Migrate();
        // Seeded by SQL: 100,000 accounts, every tenth locked, every hundredth a read-only admin.
        _db.Database.ExecuteSqlRaw($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Accounts})
            INSERT INTO users (Username, PasswordHash, FullName, Roles, Locked, CreatedAt)
            SELECT 'user' || i, 'x', 'User ' || i, CASE WHEN i % 100 = 0 THEN 'READONLY_ADMIN' ELSE '' END,
                   i % 10 = 0, 1700000000000 + i FROM n
            """);
    }

    [Fact]
    public void Translate_ScalarFiltersOrderAndPage_AllRunInSql()
    {
        var plan = QueryableFilter.Translate(UserService.Entries(_db),
            Filters("""[["locked", "=", true], ["username", "^", "user9"]]"""),
            new QueryOptions { OrderBy = ["-id"], Offset = 1, Limit = 3 });

        plan.IsFullyTranslated.Should().BeTrue();
        var sql = plan.Query.ToQueryString();
        sql.Should().Contain("WHERE").And.Contain("ORDER BY").And.Contain("LIMIT");
        sql.Should().NotContain("PasswordHash");
        var rows = plan.Execute()!.AsArray();
        rows.Select(r => r!["username"]!.GetValue<string>()).Should().Equal("user99980", "user99970", "user99960");
    }

    [Fact]
    public void Execute_Equality_ReadsOneRowOfAHundredThousand()
    {
        var plan = QueryableFilter.Translate(UserService.Entries(_db),
            Filters("""[["username", "=", "user54321"]]"""), new QueryOptions { Get = true });

        plan.Query.ToQueryString().Should().Contain("WHERE");
        plan.Execute()!["full_name"]!.GetValue<string>().Should().Be("User 54321");
    }

    [Theory]
    [InlineData("username", "=", "\"user1\"", "\"user2\"", "user1")]
    [InlineData("id", "=", "1", "2", "1")]
    [InlineData("username", "^", "\"usr\"", "\"user7\"", "usr")]
    [InlineData("username", "$", "\"r1\"", "\"r25\"", "r1")]
    [InlineData("username", "in", "[\"user1\", \"userX\"]", "[\"user2\", \"userY\"]", "userX")]
    [InlineData("id", "nin", "[17, 18]", "[19, 20]", "17")]
    public void Translate_FilterValues_AreSqlParameters_SoOneShapeCompilesOnce(string field, string op, string first,
        string second, string firstLiteral)
    {
        // A value inlined as a constant is part of EF Core's query-cache key: every new value compiled the query
        // again (each job id of core.get_jobs [["id","=",n]]). As a parameter, the SQL text is the same.
        string Sql(string value) => string.Join('\n', QueryableFilter.Translate(UserService.Entries(_db),
                Filters($$"""[["{{field}}", "{{op}}", {{value}}]]"""), null).Query.ToQueryString()
            .Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));

        var sql = Sql(first);
        sql.Should().Contain("WHERE").And.NotContain(firstLiteral);
        Sql(second).Should().Be(sql);
    }

    [Fact]
    public void Execute_CountOfScalarFilter_IsASqlCount()
    {
        var plan = QueryableFilter.Translate(UserService.Entries(_db),
            Filters("""[["locked", "=", true]]"""), new QueryOptions { Count = true });

        plan.IsCount.Should().BeTrue();
        plan.Execute()!.GetValue<int>().Should().Be(Accounts / 10);
    }

    [Fact]
    public void Translate_ListAndRegexFilters_NarrowInSqlAndFinishInMemory()
    {
        var plan = QueryableFilter.Translate(UserService.Entries(_db),
            Filters("""[["id", "<=", 1000], ["roles", "rin", "READONLY_ADMIN"], ["full_name", "~", "User [1-3]"]]"""),
            new QueryOptions());

        plan.IsFullyTranslated.Should().BeFalse();
        plan.RemainingFilters.Count.Should().Be(2);
        var rows = plan.Execute()!.AsArray();
        rows.Select(r => r!["username"]!.GetValue<string>()).Should().Equal("user100", "user200", "user300", "user1000");
        rows[0]!.AsObject().Select(p => p.Key).Should().NotContain(key => key.Contains("password"));
    }

    public void Dispose()
    {
        _db.Dispose();
        _connection.Dispose();
    }

    private static JsonArray Filters(string json) => JsonNode.Parse(json)!.AsArray();
}
