using System.Text.Json;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>
/// Every filter operator against <c>user.query</c> over DDP: those SQL evaluates (scalar fields) and those it
/// cannot (regex, list fields, paths, dates), which run in memory; both must give the right rows.
/// </summary>
public sealed class UserQueryFilterTests(UserQueryFixture fixture) : IClassFixture<UserQueryFixture>
{
    [Theory]
    // Pushed into SQL: comparisons on scalar columns.
    [InlineData("""[["username", "=", "alice"]]""", "alice")]
    [InlineData("""[["username", "!=", "alice"]]""", "root bob carol dave Eve")]
    [InlineData("""[["id", ">", 4]]""", "dave Eve")]
    [InlineData("""[["id", ">=", 4]]""", "carol dave Eve")]
    [InlineData("""[["id", "<", 2]]""", "root")]
    [InlineData("""[["id", "<=", 2]]""", "root alice")]
    [InlineData("""[["username", "in", ["alice", "bob", "zed"]]]""", "alice bob")]
    [InlineData("""[["username", "nin", ["alice", "bob"]]]""", "root carol dave Eve")]
    [InlineData("""[["username", "^", "a"]]""", "alice")]
    [InlineData("""[["username", "!^", "a"]]""", "root bob carol dave Eve")]
    [InlineData("""[["full_name", "$", "er"]]""", "bob carol")]
    [InlineData("""[["full_name", "!$", "er"]]""", "root alice dave Eve")]
    [InlineData("""[["username", "C=", "EVE"]]""", "Eve")]
    [InlineData("""[["username", "C!=", "eve"]]""", "root alice bob carol dave")]
    [InlineData("""[["username", "Cin", ["ALICE", "eve"]]]""", "alice Eve")]
    [InlineData("""[["username", "Cnin", ["ALICE", "eve"]]]""", "root bob carol dave")]
    [InlineData("""[["full_name", "C^", "CAROL"]]""", "carol")]
    [InlineData("""[["full_name", "C!^", "c"]]""", "root alice bob dave Eve")]
    [InlineData("""[["full_name", "C$", "BUILDER"]]""", "bob")]
    [InlineData("""[["full_name", "C!$", "builder"]]""", "root alice carol dave Eve")]
    [InlineData("""[["locked", "=", true]]""", "bob Eve")]
    [InlineData("""[["locked", "=", false], ["id", "!=", 1]]""", "alice carol dave")]
    [InlineData("""[["OR", [["username", "=", "alice"], ["locked", "=", true]]]]""", "alice bob Eve")]
    [InlineData("""[["OR", [[["locked", "=", false], ["id", ">", 4]], ["username", "=", "root"]]]]""", "root dave")]
    // In memory: regular expressions, list fields, paths, dates, missing fields.
    [InlineData("""[["full_name", "~", "[A-Z][a-z]+ [A-Z]"]]""", "alice bob")]
    [InlineData("""[["full_name", "~", "Liddell"]]""", "")] // re.match: anchored at the start
    [InlineData("""[["roles", "rin", "FULL_ADMIN"]]""", "root alice")]
    [InlineData("""[["roles", "rnin", "FULL_ADMIN"]]""", "bob carol dave Eve")]
    [InlineData("""[["roles.0", "=", "READONLY_ADMIN"]]""", "bob dave")]
    [InlineData("""[["roles.*", "=", "FULL_ADMIN"]]""", "root alice")]
    [InlineData("""[["created_at.$date", ">", "2000-01-01T00:00:00"]]""", "root alice bob carol dave Eve")]
    [InlineData("""[["created_at.$date", "<", "2000-01-01T00:00:00"]]""", "")]
    [InlineData("""[["no_such_field", "=", 1]]""", "")]
    [InlineData("""[["no_such_field", "!=", 1]]""", "")] // a missing key makes any condition false
    // SQL and memory together.
    [InlineData("""[["locked", "=", false], ["roles", "rin", "READONLY_ADMIN"]]""", "dave")]
    [InlineData("""[["OR", [["full_name", "~", "Eve"], ["username", "=", "dave"]]]]""", "dave Eve")]
    public async Task Query_Filter_ReturnsTheMatchingUsers(string filters, string expected)
    {
        var rows = await fixture.Root.CallResultAsync("user.query", Json(filters), new { order_by = new[] { "id" } });

        rows.Usernames().Should().Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Query_NoFilters_ReturnsEveryUserWithoutAPassword()
    {
        var rows = await fixture.Root.CallResultAsync("user.query");

        rows.Usernames().Should().Equal("root", "alice", "bob", "carol", "dave", "Eve");
        var alice = rows[1];
        alice.EnumerateObject().Select(p => p.Name).Should()
            .BeEquivalentTo("id", "username", "full_name", "roles", "locked", "created_at");
        alice.GetProperty("roles")[0].GetString().Should().Be("FULL_ADMIN");
        alice.GetProperty("created_at").GetProperty("$date").GetInt64().Should().BePositive();
        rows.GetRawText().Should().NotContainAny("password", "pbkdf2");
    }

    [Fact]
    public async Task Query_FilterOnPasswordHash_MatchesNothing()
    {
        // The stored hash is not a field clients can see, so it cannot be probed with filters either.
        var rows = await fixture.Root.CallResultAsync("user.query", Json("""[["password_hash", "^", "pbkdf2"]]"""));

        rows.GetArrayLength().Should().Be(0);
    }

    internal static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
