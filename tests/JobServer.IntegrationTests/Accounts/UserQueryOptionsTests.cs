using static JobServer.IntegrationTests.Accounts.UserQueryFilterTests;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>Every query option against <c>user.query</c>, on the SQL path and the in-memory one.</summary>
public sealed class UserQueryOptionsTests(UserQueryFixture fixture) : IClassFixture<UserQueryFixture>
{
    private const string NoFilters = "[]";
    private const string RegexFilter = """[["username", "~", "."]]"""; // matches all, forces the in-memory path

    [Theory]
    [InlineData(NoFilters)]
    [InlineData(RegexFilter)]
    public async Task Query_OrderByName_SortsByCodePoint(string filters)
    {
        var rows = await Query(filters, new { order_by = new[] { "username" } });

        rows.Usernames().Should().Equal("Eve", "alice", "bob", "carol", "dave", "root");
    }

    [Theory]
    [InlineData(NoFilters)]
    [InlineData(RegexFilter)]
    public async Task Query_OrderByDescending_Reverses(string filters)
    {
        var rows = await Query(filters, new { order_by = new[] { "-id" } });

        rows.Usernames().Should().Equal("Eve", "dave", "carol", "bob", "alice", "root");
    }

    [Theory]
    [InlineData(NoFilters)]
    [InlineData(RegexFilter)]
    public async Task Query_SeveralOrderKeys_FirstKeyIsPrimary(string filters)
    {
        var rows = await Query(filters, new { order_by = new[] { "locked", "-username" } });

        rows.Usernames().Should().Equal("root", "dave", "carol", "alice", "bob", "Eve");
    }

    [Theory]
    [InlineData(NoFilters)]
    [InlineData(RegexFilter)]
    public async Task Query_OffsetAndLimit_Page(string filters)
    {
        var first = await Query(filters, new { order_by = new[] { "id" }, limit = 2 });
        var second = await Query(filters, new { order_by = new[] { "id" }, offset = 2, limit = 2 });
        var rest = await Query(filters, new { order_by = new[] { "id" }, offset = 4 });

        first.Usernames().Should().Equal("root", "alice");
        second.Usernames().Should().Equal("bob", "carol");
        rest.Usernames().Should().Equal("dave", "Eve");
    }

    [Theory]
    [InlineData("""[["locked", "=", true]]""")]
    [InlineData("""[["locked", "=", true], ["full_name", "~", "."]]""")]
    public async Task Query_Count_ReturnsTheNumberOfMatches(string filters)
    {
        var count = await Query(filters, new { count = true });

        count.GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData("""[["username", "=", "bob"]]""")]
    [InlineData("""[["username", "~", "^bo"]]""")]
    public async Task Query_Get_ReturnsTheObject(string filters)
    {
        var bob = await Query(filters, new { get = true });

        bob.GetProperty("username").GetString().Should().Be("bob");
        bob.GetProperty("full_name").GetString().Should().Be("Bob Builder");
    }

    [Theory]
    [InlineData("""[["username", "=", "nobody"]]""")]
    [InlineData("""[["username", "~", "^nobody"]]""")]
    public async Task Query_GetWithNoMatch_IsMatchNotFound(string filters)
    {
        var error = await fixture.Root.CallErrorAsync("user.query", Json(filters), new { get = true });

        error.Errno().Should().Be(22);
        error.GetProperty("errname").GetString().Should().Be("EINVAL");
        error.Reason().Should().Be("MatchNotFound()");
    }

    [Fact]
    public async Task Query_GetWithOrder_ReturnsTheFirstInThatOrder()
    {
        var last = await Query(NoFilters, new { order_by = new[] { "-id" }, get = true });

        last.GetProperty("username").GetString().Should().Be("Eve");
    }

    [Theory]
    [InlineData(NoFilters)]
    [InlineData(RegexFilter)]
    public async Task Query_Select_KeepsAndRenamesFieldsAfterOrdering(string filters)
    {
        // Ordered by id, which the projection drops: select is applied after ordering.
        var rows = await fixture.Root.CallResultAsync("user.query", Json(filters), new
        {
            order_by = new[] { "-id" },
            select = new object[] { "username", new[] { "full_name", "name" } },
            limit = 2,
        });

        rows.GetArrayLength().Should().Be(2);
        rows[0].EnumerateObject().Select(p => p.Name).Should().Equal("username", "name");
        rows[0].GetProperty("username").GetString().Should().Be("Eve");
        rows[1].GetProperty("name").GetString().Should().Be("");
    }

    [Fact]
    public async Task GetInstance_Existing_ReturnsTheUser()
    {
        var carol = await fixture.Root.CallResultAsync("user.get_instance", 4);

        carol.GetProperty("username").GetString().Should().Be("carol");
    }

    [Fact]
    public async Task GetInstance_Missing_IsEnoentValidationError()
    {
        var error = await fixture.Root.CallErrorAsync("user.get_instance", 999);

        error.Errno().Should().Be(2);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.Reason().Should().Contain("User 999 does not exist");
    }

    private Task<System.Text.Json.JsonElement> Query(string filters, object options) =>
        fixture.Root.CallResultAsync("user.query", Json(filters), options);
}
